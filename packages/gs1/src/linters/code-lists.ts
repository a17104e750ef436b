/**
 * Small code-list linters: package type (AI 7041), AIDC media type (7241), importer index (7040),
 * winding direction (8001) and yes/no flags (4321–4323).
 */
import { asciiTable, inTable, LINT_OK, type LintResult, wholeValue } from './types.ts';

/**
 * GS1 PackageTypeCode list: UN/ECE Recommendation 21 package type codes plus GS1's own additions
 * (the three-letter codes such as `BGE`, `PLP`, `RB1`, `X11`).
 */
const PACKAGE_TYPE_CODES = [
  '1A 1B 1D 1F 1G 1W 200 201 202 203 204 205 206 210 211 212 2C 3A 3H 43 44 4A 4B 4C 4D 4F 4G 4H',
  '5H 5L 5M 6H 6P 7A 7B 8 8A 8B 8C 9',
  'AA AB AC AD AF AG AH AI AJ AL AM AP APE AT AV',
  'B4 BB BC BD BE BF BG BGE BH BI BJ BK BL BM BME BN BO BP BQ BR BRI BS BT BU BV BW BX BY BZ',
  'CA CB CBL CC CCE CD CE CF CG CH CI CJ CK CL CM CN CO CP CQ CR CS CT CU CV CW CX CY CZ',
  'DA DB DC DG DH DI DJ DK DL DM DN DP DPE DR DS DT DU DV DW DX DY',
  'E1 E2 E3 EC ED EE EF EG EH EI EN',
  'FB FC FD FE FI FL FO FOB FP FPE FR FT FW FX',
  'GB GI GL GR GU GY GZ',
  'HA HB HC HG HN HR',
  'IA IB IC ID IE IF IG IH IK IL IN IZ',
  'JB JC JG JR JT JY',
  'KG KI',
  'LAB LE LG LT LU LV LZ',
  'MA MB MC ME MPE MR MS MT MW MX',
  'NA NE NF NG NS NT NU NV',
  'OA OB OC OD OE OF OK OPE OT OU',
  'P2 PA PAE PB PC PD PE PF PG PH PI PJ PK PL PLP PN PO POP PP PPE PR PT PU PUE PV PX PY PZ',
  'QA QB QC QD QF QG QH QJ QK QL QM QN QP QQ QR QS',
  'RB1 RB2 RB3 RCB RD RG RJ RK RL RO RT RZ',
  'S1 SA SB SC SD SE SEC SH SI SK SL SM SO SP SS ST STL SU SV SW SX SY SZ',
  'T1 TB TC TD TE TEV TG THE TI TK TL TN TO TR TRE TS TT TTE TU TV TW TWE TY TZ',
  'UC UN UUE',
  'VA VG VI VK VL VN VO VP VQ VR VS VY',
  'WA WB WC WD WF WG WH WJ WK WL WM WN WP WQ WR WRP WS WT WU WV WW WX WY WZ',
  'X11 X12 X15 X16 X17 X18 X19 X20 X3 XA XB XC XD XF XG XH XJ XK',
  'YA YB YC YD YF YG YH YJ YK YL YM YN YP YQ YR YS YT YV YW YX YY YZ',
  'ZA ZB ZC ZD ZF ZG ZH ZJ ZK ZL ZM ZN ZP ZQ ZR ZS ZT ZU ZV ZW ZX ZY ZZ',
].join(' ');

const PACKAGE_TYPES: ReadonlySet<string> = new Set(PACKAGE_TYPE_CODES.split(' '));

export function isPackageTypeCode(value: string): boolean {
  return PACKAGE_TYPES.has(value);
}

/** A code of the GS1 PackageTypeCode list. */
export function packagetype(value: string): LintResult {
  return PACKAGE_TYPES.has(value) ? LINT_OK : wholeValue('GS1_LINTER_INVALID_PACKAGE_TYPE', value);
}

/** AIDC media type: 01–10 are GS1-defined media, 80–99 are for company-internal use. */
export function mediatype(value: string): LintResult {
  if (value.length === 2) {
    const a = value.charCodeAt(0) - 48;
    const b = value.charCodeAt(1) - 48;
    if (a >= 0 && a <= 9 && b >= 0 && b <= 9) {
      const v = a * 10 + b;
      if ((v >= 1 && v <= 10) || v >= 80) return LINT_OK;
    }
  }
  return wholeValue('GS1_LINTER_INVALID_MEDIA_TYPE', value);
}

const IMPORTER_INDEX = asciiTable('-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz');

/** Importer index of a UIC with extension (AI 7040): one character out of `0-9 A-Z a-z - _`. */
export function importeridx(value: string): LintResult {
  if (value.length !== 1) return wholeValue('GS1_LINTER_IMPORTER_IDX_MUST_BE_ONE_CHARACTER', value);
  return inTable(IMPORTER_INDEX, value.charCodeAt(0))
    ? LINT_OK
    : wholeValue('GS1_LINTER_INVALID_IMPORT_IDX_CHARACTER', value);
}

/** Winding direction of a roll: 0 face out, 1 face in, 9 undefined. */
export function winding(value: string): LintResult {
  return value === '0' || value === '1' || value === '9'
    ? LINT_OK
    : wholeValue('GS1_LINTER_INVALID_WINDING_DIRECTION', value);
}

/** A flag: 0 no, 1 yes. */
export function yesno(value: string): LintResult {
  return value === '0' || value === '1' ? LINT_OK : wholeValue('GS1_LINTER_NOT_ZERO_OR_ONE', value);
}
