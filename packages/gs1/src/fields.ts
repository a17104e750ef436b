/** Typed fields of the AIs that matter for a pharmaceutical pack, case or pallet. */
import { type Gs1Date, interpretDate } from './dates.ts';
import type { AiElement } from './elements.ts';

export interface NationalNumber {
  ai: string;
  /** What the number is: `DE PZN`, `FR CIP`, `US NDC`… */
  scheme: string;
  value: string;
}

export interface Gs1Fields {
  /** (01) GTIN-14. */
  gtin?: string;
  /** (02) GTIN of contained trade items. */
  contentGtin?: string;
  /** (00) SSCC of a logistic unit. */
  sscc?: string;
  /** (21) serial number. */
  serial?: string;
  /** (10) batch or lot. */
  lot?: string;
  /** (17) expiry. */
  expiry?: Gs1Date;
  /** (11) production date. */
  productionDate?: Gs1Date;
  /** (13) packaging date. */
  packDate?: Gs1Date;
  /** (15) best before. */
  bestBefore?: Gs1Date;
  /** (16) sell by. */
  sellBy?: Gs1Date;
  /** (22) consumer product variant. */
  cpv?: string;
  /** (235) third-party controlled serial extension. */
  tpx?: string;
  /** (30) / (37) count of items. */
  count?: string;
  /** (414) location GLN, (254) its extension. */
  gln?: string;
  glnExtension?: string;
  /** (417) party GLN. */
  partyGln?: string;
  /** (410) ship to / (413) ship for / (416) production location GLNs. */
  shipTo?: string;
  /** (400) customer purchase order. */
  orderNumber?: string;
  /** (8003) GRAI, (8004) GIAI, (8017)/(8018) GSRN, (253) GDTI. */
  grai?: string;
  giai?: string;
  gsrn?: string;
  gdti?: string;
  /** (710)-(717) national healthcare reimbursement numbers. */
  nationalNumbers?: NationalNumber[];
  /** (91)-(99) company internal data, e.g. the crypto codes of national verification systems. */
  internal?: AiElement[];
}

const NHRN: Record<string, string> = {
  '710': 'DE PZN',
  '711': 'FR CIP',
  '712': 'ES CN',
  '713': 'BR DRN',
  '714': 'PT AIM',
  '715': 'US NDC',
  '716': 'IT AIC',
  '717': 'SRN',
};

const SIMPLE: Record<string, keyof Gs1Fields> = {
  '00': 'sscc',
  '01': 'gtin',
  '02': 'contentGtin',
  '10': 'lot',
  '21': 'serial',
  '22': 'cpv',
  '235': 'tpx',
  '30': 'count',
  '37': 'count',
  '400': 'orderNumber',
  '410': 'shipTo',
  '414': 'gln',
  '254': 'glnExtension',
  '417': 'partyGln',
  '8003': 'grai',
  '8004': 'giai',
  '8017': 'gsrn',
  '8018': 'gsrn',
  '253': 'gdti',
};
const DATES: Record<string, keyof Gs1Fields> = {
  '11': 'productionDate',
  '13': 'packDate',
  '15': 'bestBefore',
  '16': 'sellBy',
  '17': 'expiry',
};

/** Extracts typed fields; dates are interpreted relative to `currentYear` (an injected clock). */
export function extractFields(
  elements: readonly AiElement[],
  currentYear = new Date().getUTCFullYear(),
): Gs1Fields {
  const f: Gs1Fields = {};
  const rec = f as Record<string, unknown>;
  for (const { ai, value } of elements) {
    const simple = SIMPLE[ai];
    if (simple) {
      if (rec[simple] === undefined) rec[simple] = value;
      continue;
    }
    const date = DATES[ai];
    if (date) {
      const d = interpretDate(value, currentYear);
      if (d && rec[date] === undefined) rec[date] = d;
      continue;
    }
    const scheme = NHRN[ai];
    if (scheme) {
      (f.nationalNumbers ??= []).push({ ai, scheme, value });
      continue;
    }
    if (ai.length === 2 && ai >= '91' && ai <= '99') (f.internal ??= []).push({ ai, value });
  }
  return f;
}
