/**
 * CBV 2.0 controlled vocabularies (and the GS1 Web Vocabulary code lists EPCIS 2.0 uses for sensor
 * data), with their three spellings and conversions between them:
 *
 * | kind | bare word (JSON) | Web URI (CBV 2.0) | 1.x URN (XML of EPCIS 1.x) |
 * | --- | --- | --- | --- |
 * | bizStep | `shipping` | `https://ref.gs1.org/cbv/BizStep-shipping` | `urn:epcglobal:cbv:bizstep:shipping` |
 * | disposition | `in_transit` | `https://ref.gs1.org/cbv/Disp-in_transit` | `urn:epcglobal:cbv:disp:in_transit` |
 * | bizTransactionType | `po` | `https://ref.gs1.org/cbv/BTT-po` | `urn:epcglobal:cbv:btt:po` |
 * | sourceDestType | `owning_party` | `https://ref.gs1.org/cbv/SDT-owning_party` | `urn:epcglobal:cbv:sdt:owning_party` |
 * | errorReason | `did_not_occur` | `https://ref.gs1.org/cbv/ER-did_not_occur` | `urn:epcglobal:cbv:er:did_not_occur` |
 * | sensorComponent | `x` | `https://ref.gs1.org/cbv/Comp-x` | — |
 * | measurementType | `Temperature` | `https://gs1.org/voc/Temperature` | — |
 * | sensorAlertType | `ALARM_CONDITION` | `https://gs1.org/voc/ALARM_CONDITION` | — |
 *
 * The word lists are the enumerations of the EPCIS 2.0 JSON Schema / JSON-LD context (CBV 2.0; the
 * measurement types are the GS1 Web Vocabulary's `MeasurementType` code list as of EPCIS 2.0). The
 * GS1 Web Vocabulary namespace is `https://gs1.org/voc/` as in the 2.0.0 JSON-LD context (the 2.0.1
 * artefacts reportedly move it to `https://ref.gs1.org/voc/`; {@link toBareWord} accepts that form
 * too, {@link toWebUri} writes the 2.0.0 form, which the Event Hash ID vectors use).
 *
 * Every function here is a table look-up (no regular expressions, no allocation on the hot path).
 * CURIEs (`cbv:BizStep-shipping`, `gs1:Temperature`) are not accepted: expand them with the
 * document's `@context` first.
 */

export type CbvKind =
  | 'bizStep'
  | 'disposition'
  | 'bizTransactionType'
  | 'sourceDestType'
  | 'errorReason'
  | 'sensorComponent'
  | 'measurementType'
  | 'sensorAlertType';

export const CBV_KINDS: readonly CbvKind[] = [
  'bizStep',
  'disposition',
  'bizTransactionType',
  'sourceDestType',
  'errorReason',
  'sensorComponent',
  'measurementType',
  'sensorAlertType',
];

/** Namespace of the CBV 2.0 Web URIs. */
export const CBV_WEB_NAMESPACE = 'https://ref.gs1.org/cbv/';
/** Namespace of the GS1 Web Vocabulary as used by the EPCIS 2.0.0 context (measurement and alert types). */
export const GS1_VOC_NAMESPACE = 'https://gs1.org/voc/';
/** The GS1 Web Vocabulary namespace of the 2.0.1 artefacts; read, never written. */
export const GS1_VOC_NAMESPACE_2_0_1 = 'https://ref.gs1.org/voc/';

// The tables: one string of words per vocabulary, in the order of the CBV / JSON Schema lists.

const BIZ_STEP_WORDS =
  'accepting arriving assembling collecting commissioning consigning creating_class_instance cycle_counting ' +
  'decommissioning departing destroying disassembling dispensing encoding entering_exiting holding inspecting ' +
  'installing killing loading other packing picking receiving removing repackaging repairing replacing reserving ' +
  'retail_selling shipping staging_outbound stock_taking stocking storing transporting unloading unpacking ' +
  'void_shipping sensor_reporting sampling';

const DISPOSITION_WORDS =
  'active container_closed damaged destroyed dispensed disposed encoded expired in_progress in_transit inactive ' +
  'no_pedigree_match non_sellable_other partially_dispensed recalled reserved retail_sold returned ' +
  'sellable_accessible sellable_not_accessible stolen unknown available completeness_verified ' +
  'completeness_inferred conformant container_open mismatch_instance mismatch_class mismatch_quantity ' +
  'needs_replacement non_conformant unavailable';

const BIZ_TRANSACTION_TYPE_WORDS =
  'bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt';

const SOURCE_DEST_TYPE_WORDS = 'owning_party possessing_party location';

const ERROR_REASON_WORDS = 'did_not_occur incorrect_data';

const SENSOR_COMPONENT_WORDS =
  'x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle easting northing latitude ' +
  'longitude altitude';

const MEASUREMENT_TYPE_WORDS =
  'AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude AmountOfSubstance ' +
  'AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum AngularVelocity Area Capacitance ' +
  'Conductance Conductivity Count Density Dimensionless DoseEquivalent DoseEquivalentRate DynamicViscosity ' +
  'ElectricCharge ElectricCurrent ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency ' +
  'Illuminance Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux ' +
  'LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass MassConcentration ' +
  'MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy MolarMass MolarVolume Power ' +
  'Pressure RadiantFlux RadiantIntensity RelativeHumidity Resistance Resistivity SolidAngle SpecificVolume ' +
  'Speed SurfaceDensity SurfaceTension Temperature Time Torque Voltage Volume VolumeFlowRate VolumeFraction ' +
  'VolumetricFlux Wavenumber';

const SENSOR_ALERT_TYPE_WORDS = 'ALARM_CONDITION ERROR_CONDITION';

interface VocabularyDef {
  words: string;
  /** Prefix of the Web URI: namespace + the vocabulary's term prefix (`BizStep-`). */
  web: string;
  /** Prefix of the 1.x URN, when the vocabulary has one. */
  urn?: string;
}

const DEFS: Record<CbvKind, VocabularyDef> = {
  bizStep: { words: BIZ_STEP_WORDS, web: `${CBV_WEB_NAMESPACE}BizStep-`, urn: 'urn:epcglobal:cbv:bizstep:' },
  disposition: { words: DISPOSITION_WORDS, web: `${CBV_WEB_NAMESPACE}Disp-`, urn: 'urn:epcglobal:cbv:disp:' },
  bizTransactionType: {
    words: BIZ_TRANSACTION_TYPE_WORDS,
    web: `${CBV_WEB_NAMESPACE}BTT-`,
    urn: 'urn:epcglobal:cbv:btt:',
  },
  sourceDestType: {
    words: SOURCE_DEST_TYPE_WORDS,
    web: `${CBV_WEB_NAMESPACE}SDT-`,
    urn: 'urn:epcglobal:cbv:sdt:',
  },
  errorReason: { words: ERROR_REASON_WORDS, web: `${CBV_WEB_NAMESPACE}ER-`, urn: 'urn:epcglobal:cbv:er:' },
  sensorComponent: { words: SENSOR_COMPONENT_WORDS, web: `${CBV_WEB_NAMESPACE}Comp-` },
  measurementType: { words: MEASUREMENT_TYPE_WORDS, web: GS1_VOC_NAMESPACE },
  sensorAlertType: { words: SENSOR_ALERT_TYPE_WORDS, web: GS1_VOC_NAMESPACE },
};

/** One standard value in its three spellings (`urn` absent where the vocabulary has no URN form). */
export interface CbvTerm {
  kind: CbvKind;
  bareWord: string;
  webUri: string;
  urn?: string;
}

interface Vocabulary {
  terms: readonly CbvTerm[];
  /** Every accepted spelling (bare word, Web URI, URN, 2.0.1 GS1 voc URI) → its term. */
  byForm: Map<string, CbvTerm>;
  /** Bare word → term (the JSON spelling only). */
  byWord: Map<string, CbvTerm>;
  webPrefix: string;
  urnPrefix: string | undefined;
}

const VOCABULARIES = {} as Record<CbvKind, Vocabulary>;
for (const kind of CBV_KINDS) {
  const def = DEFS[kind];
  const terms: CbvTerm[] = [];
  const byForm = new Map<string, CbvTerm>();
  const byWord = new Map<string, CbvTerm>();
  for (const word of def.words.split(' ')) {
    const term: CbvTerm = Object.freeze({
      kind,
      bareWord: word,
      webUri: def.web + word,
      ...(def.urn ? { urn: def.urn + word } : {}),
    });
    terms.push(term);
    byWord.set(word, term);
    byForm.set(word, term);
    byForm.set(term.webUri, term);
    if (term.urn) byForm.set(term.urn, term);
    if (def.web === GS1_VOC_NAMESPACE) byForm.set(GS1_VOC_NAMESPACE_2_0_1 + word, term);
  }
  VOCABULARIES[kind] = {
    terms: Object.freeze(terms),
    byForm,
    byWord,
    webPrefix: def.web,
    urnPrefix: def.urn,
  };
}

/** The standard terms of a vocabulary, in CBV order. */
export function cbvTerms(kind: CbvKind): readonly CbvTerm[] {
  return VOCABULARIES[kind].terms;
}

/** The standard bare words of a vocabulary, in CBV order. */
export function cbvWords(kind: CbvKind): string[] {
  return VOCABULARIES[kind].terms.map((t) => t.bareWord);
}

/** The term a value names, in any of its spellings; `undefined` for a non-standard value. */
export function lookupCbv(kind: CbvKind, value: string): CbvTerm | undefined {
  return VOCABULARIES[kind].byForm.get(value);
}

/** Whether `value` is a standard value of the vocabulary, in any of its three spellings. */
export function isStandard(kind: CbvKind, value: string): boolean {
  return VOCABULARIES[kind].byForm.has(value);
}

/** Whether `value` is a standard value written as a bare word (the only spelling the JSON binding accepts). */
export function isStandardBareWord(kind: CbvKind, value: string): boolean {
  return VOCABULARIES[kind].byWord.has(value);
}

/** Bare word of a standard value given in any spelling; `undefined` if the value is not standard. */
export function toBareWord(kind: CbvKind, value: string): string | undefined {
  return VOCABULARIES[kind].byForm.get(value)?.bareWord;
}

/**
 * Web URI of a standard value given in any spelling; `undefined` if not standard. With
 * `keepCustom`, a non-standard value is returned unchanged, except that a CBV 1.x URN of the
 * vocabulary is still rewritten to the Web URI form (`urn:epcglobal:cbv:bizstep:x` →
 * `https://ref.gs1.org/cbv/BizStep-x`), as the Event Hash ID requires.
 */
export function toWebUri(kind: CbvKind, value: string, keepCustom = false): string | undefined {
  const v = VOCABULARIES[kind];
  const t = v.byForm.get(value);
  if (t) return t.webUri;
  if (!keepCustom) return undefined;
  if (v.urnPrefix && value.startsWith(v.urnPrefix)) return v.webPrefix + value.slice(v.urnPrefix.length);
  return value;
}

/** 1.x URN of a standard value given in any spelling; `undefined` if not standard or the vocabulary has no URN form. */
export function toUrn(kind: CbvKind, value: string): string | undefined {
  return VOCABULARIES[kind].byForm.get(value)?.urn;
}

/** The vocabulary whose 1.x URN prefix `value` starts with (any word, standard or not). */
const URN_PREFIXES: readonly [string, CbvKind][] = CBV_KINDS.filter((k) => DEFS[k].urn).map((k) => [
  DEFS[k].urn!,
  k,
]);
const CBV_URN_ROOT = 'urn:epcglobal:cbv:';

/**
 * Rewrites a CBV 1.x vocabulary URN (`urn:epcglobal:cbv:bizstep:|disp:|btt:|sdt:|er:` + word) to
 * its CBV 2.0 Web URI, whatever the word; any other string (including other `urn:epcglobal:cbv:`
 * URNs such as `…:bt:` business-transaction identifiers) is returned unchanged.
 */
export function cbvUrnToWebUri(value: string): string {
  if (!value.startsWith(CBV_URN_ROOT)) return value;
  for (const [prefix, kind] of URN_PREFIXES) {
    if (value.startsWith(prefix)) return DEFS[kind].web + value.slice(prefix.length);
  }
  return value;
}

/** The vocabulary and bare word of a standard Web URI or URN (`undefined` for anything else). */
export function classifyCbvUri(value: string): CbvTerm | undefined {
  for (const kind of CBV_KINDS) {
    const t = VOCABULARIES[kind].byForm.get(value);
    if (t && t.bareWord !== value) return t;
  }
  return undefined;
}
