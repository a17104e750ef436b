/**
 * Code-list linters for ISO standards: countries (ISO 3166-1 numeric and alpha-2), currencies
 * (ISO 4217 numeric) and biological sex (ISO/IEC 5218). The lists are facts, kept as plain tables
 * here; update them when the ISO maintenance agencies publish a change.
 */
import { LINT_OK, type LintResult, wholeValue } from './types.ts';

/** ISO 3166-1 numeric country codes (249 entries, as maintained by the ISO 3166 MA). */
const ISO3166_NUMERIC =
  '004 008 010 012 016 020 024 028 031 032 036 040 044 048 050 051 052 056 060 064 068 070 072 074 ' +
  '076 084 086 090 092 096 100 104 108 112 116 120 124 132 136 140 144 148 152 156 158 162 166 170 ' +
  '174 175 178 180 184 188 191 192 196 203 204 208 212 214 218 222 226 231 232 233 234 238 239 242 ' +
  '246 248 250 254 258 260 262 266 268 270 275 276 288 292 296 300 304 308 312 316 320 324 328 332 ' +
  '334 336 340 344 348 352 356 360 364 368 372 376 380 384 388 392 398 400 404 408 410 414 417 418 ' +
  '422 426 428 430 434 438 440 442 446 450 454 458 462 466 470 474 478 480 484 492 496 498 499 500 ' +
  '504 508 512 516 520 524 528 531 533 534 535 540 548 554 558 562 566 570 574 578 580 581 583 584 ' +
  '585 586 591 598 600 604 608 612 616 620 624 626 630 634 638 642 643 646 652 654 659 660 662 663 ' +
  '666 670 674 678 682 686 688 690 694 702 703 704 705 706 710 716 724 728 729 732 740 744 748 752 ' +
  '756 760 762 764 768 772 776 780 784 788 792 795 796 798 800 804 807 818 826 831 832 833 834 840 ' +
  '850 854 858 860 862 876 882 887 894';

/** ISO 3166-1 alpha-2 country codes (the same 249 countries). */
const ISO3166_ALPHA2 =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
  'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
  'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
  'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
  'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
  'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
  'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW';

/**
 * ISO 4217 numeric currency and fund codes in force (List One, early 2026): includes 396 XAD,
 * 924 ZWG, 926 VED, 532 (ANG/XCG); withdrawn 191 HRK, 694 SLL, 931 CUC and 932 ZWL are not listed.
 */
const ISO4217_NUMERIC =
  '008 012 032 036 044 048 050 051 052 060 064 068 072 084 090 096 104 108 116 124 132 136 144 152 ' +
  '156 170 174 188 192 203 208 214 222 230 232 238 242 262 270 292 320 324 328 332 340 344 348 352 ' +
  '356 360 364 368 376 388 392 396 398 400 404 408 410 414 417 418 422 426 430 434 446 454 458 462 ' +
  '480 484 496 498 504 512 516 524 532 533 548 554 558 566 578 586 590 598 600 604 608 634 643 646 ' +
  '654 682 690 702 704 706 710 728 748 752 756 760 764 776 780 784 788 800 807 818 826 834 840 858 ' +
  '860 882 886 901 924 925 926 927 928 929 930 933 934 936 938 940 941 943 944 946 947 948 949 950 ' +
  '951 952 953 955 956 957 958 959 960 961 962 963 964 965 967 968 969 970 971 972 973 975 976 977 ' +
  '978 979 980 981 984 985 986 990 994 997 999';

/** A 1000-entry membership table of three-digit codes. */
function threeDigitTable(list: string): Uint8Array {
  const t = new Uint8Array(1000);
  for (const code of list.trim().split(' ')) t[Number(code)] = 1;
  return t;
}

const COUNTRY_NUMERIC = threeDigitTable(ISO3166_NUMERIC);
const CURRENCY_NUMERIC = threeDigitTable(ISO4217_NUMERIC);
const COUNTRY_ALPHA2 = (() => {
  const t = new Uint8Array(26 * 26);
  for (const code of ISO3166_ALPHA2.trim().split(' '))
    t[(code.charCodeAt(0) - 65) * 26 + (code.charCodeAt(1) - 65)] = 1;
  return t;
})();

/** The three digits of `value` as a number, or -1 when it is not exactly three digits. */
function threeDigits(value: string): number {
  if (value.length !== 3) return -1;
  const a = value.charCodeAt(0) - 48;
  const b = value.charCodeAt(1) - 48;
  const c = value.charCodeAt(2) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  return a * 100 + b * 10 + c;
}

/** True when the two characters of `s` at `at` are a known ISO 3166-1 alpha-2 country code. */
export function isIso3166Alpha2(s: string, at = 0): boolean {
  if (s.length < at + 2) return false;
  const a = s.charCodeAt(at) - 65;
  const b = s.charCodeAt(at + 1) - 65;
  return a >= 0 && a < 26 && b >= 0 && b < 26 && COUNTRY_ALPHA2[a * 26 + b] === 1;
}

export function isIso3166Numeric(value: string): boolean {
  const v = threeDigits(value);
  return v >= 0 && COUNTRY_NUMERIC[v] === 1;
}

export function isIso4217Numeric(value: string): boolean {
  const v = threeDigits(value);
  return v >= 0 && CURRENCY_NUMERIC[v] === 1;
}

/** A three-digit ISO 3166-1 country code (country of origin, of processing…). */
export function iso3166(value: string): LintResult {
  return isIso3166Numeric(value) ? LINT_OK : wholeValue('GS1_LINTER_NOT_ISO3166', value);
}

/** A three-digit ISO 3166-1 country code, or `999` for "several / unknown countries". */
export function iso3166999(value: string): LintResult {
  return value === '999' || isIso3166Numeric(value)
    ? LINT_OK
    : wholeValue('GS1_LINTER_NOT_ISO3166_OR_999', value);
}

/** A two-letter ISO 3166-1 country code. */
export function iso3166alpha2(value: string): LintResult {
  return value.length === 2 && isIso3166Alpha2(value)
    ? LINT_OK
    : wholeValue('GS1_LINTER_NOT_ISO3166_ALPHA2', value);
}

/** A three-digit ISO 4217 currency code. */
export function iso4217(value: string): LintResult {
  return isIso4217Numeric(value) ? LINT_OK : wholeValue('GS1_LINTER_NOT_ISO4217', value);
}

/** ISO/IEC 5218 sex code: 0 not known, 1 male, 2 female, 9 not applicable. */
export function iso5218(value: string): LintResult {
  if (value.length === 1) {
    const c = value.charCodeAt(0);
    if (c === 48 || c === 49 || c === 50 || c === 57) return LINT_OK;
  }
  return wholeValue('GS1_LINTER_INVALID_BIOLOGICAL_SEX_CODE', value);
}
