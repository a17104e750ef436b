/**
 * Checking master data records before they are stored: each check names the field and says in
 * plain words what is wrong. The result is the normalised record (GTIN-14, NDC as labelled plus
 * its NDC-11, upper-case sorted country codes, packaging levels smallest first…) or every error.
 *
 * Read-only fields a client may send back from a GET (`id`, `createdAt`, `updatedAt`, `ndc11`) are
 * ignored; any other unknown field is an error (a misspelt field must not vanish silently).
 */
import {
  computeCheckDigit,
  gtinToNdc10,
  hasValidCheckDigit,
  ndc10Digits,
  ndcTo11,
  normalizeGtin,
  parseNdc,
  validateValue,
} from '@rxtrace/gs1';
import {
  type Address,
  type Licence,
  LOCATION_TYPES,
  type Location,
  type LocationType,
  PACKAGING_LEVELS,
  PARTNER_ROLES,
  PARTNER_STATUSES,
  type PackagingLevel,
  type PackagingLevelName,
  type Partner,
  type PartnerRole,
  type PartnerStatus,
  type Product,
} from '@rxtrace/store';
import { COUNTRY_CODES } from './countries.ts';

export interface FieldError {
  /** The field (a dotted path such as `packaging.case.gtin`, or a CSV column). */
  field: string;
  message: string;
  /** The line of the CSV file, for imports. */
  line?: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const READ_ONLY = new Set(['id', 'createdAt', 'updatedAt', 'ndc11']);
const MAX_TEXT = 200;

type Obj = Record<string, unknown>;

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

class Checker {
  readonly errors: FieldError[] = [];
  constructor(private readonly input: Obj) {}

  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }

  unknown(allowed: readonly string[], prefix = '', o: Obj = this.input): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k) && !(prefix === '' && READ_ONLY.has(k)))
        this.fail(
          `${prefix}${k}`,
          `'${prefix}${k}' is not a field of this record (fields: ${allowed.join(', ')})`,
        );
    }
  }

  text(field: string, v: unknown, required: boolean, max = MAX_TEXT): string | undefined {
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      return required ? this.fail(field, `${field} is required`) : undefined;
    }
    if (typeof v !== 'string') return this.fail(field, `${field} must be text`);
    const s = v.trim();
    if (s.length > max)
      return this.fail(field, `${field} is ${s.length} characters long; at most ${max} are allowed`);
    if (hasControlCharacter(s)) return this.fail(field, `${field} contains a control character`);
    return s;
  }

  integer(field: string, v: unknown, min: number, max: number, required: boolean): number | undefined {
    if (v === undefined || v === null || v === '')
      return required ? this.fail(field, `${field} is required`) : undefined;
    const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n))
      return this.fail(field, `${field} must be a whole number, not ${JSON.stringify(v)}`);
    if (n < min || n > max) return this.fail(field, `${field} must be between ${min} and ${max}; it is ${n}`);
    return n;
  }

  gtin(field: string, v: unknown): string | undefined {
    if (v === undefined || v === null || v === '') return this.fail(field, `${field} is required`);
    if (typeof v !== 'string')
      return this.fail(
        field,
        `${field} must be written as text (digits in quotes), so that leading zeros are kept`,
      );
    const r = normalizeGtin(v);
    if (!r.ok) return this.fail(field, `${field}: ${r.errors[0]!.message}`);
    if (r.value[0] === '9')
      return this.fail(
        field,
        `${field}: GTIN ${r.value} has indicator digit 9, which marks a variable-measure item, not a pharmaceutical pack`,
      );
    return r.value;
  }

  gln(field: string, v: unknown, required: boolean): string | undefined {
    if (v === undefined || v === null || v === '')
      return required ? this.fail(field, `${field} is required`) : undefined;
    if (typeof v !== 'string')
      return this.fail(field, `${field} must be written as text (13 digits in quotes)`);
    const s = v.trim();
    if (!/^\d{13}$/.test(s)) return this.fail(field, `${field}: a GLN has 13 digits; '${v}' does not`);
    if (!hasValidCheckDigit(s))
      return this.fail(
        field,
        `${field}: the check digit of GLN ${s} is wrong: it should end in ${computeCheckDigit(s.slice(0, 12))}`,
      );
    return s;
  }

  country(field: string, v: unknown, required: boolean): string | undefined {
    const s = this.text(field, v, required, 2 + 10);
    if (s === undefined) return undefined;
    const c = s.toUpperCase();
    if (!COUNTRY_CODES.has(c))
      return this.fail(
        field,
        `${field}: '${s}' is not an ISO 3166-1 alpha-2 country code (such as US, DE, FR)`,
      );
    return c;
  }

  date(field: string, v: unknown): string | undefined {
    const s = this.text(field, v, false, 10);
    if (s === undefined) return undefined;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : undefined;
    if (!m || !d || d.getUTCMonth() !== +m[2]! - 1 || d.getUTCDate() !== +m[3]!)
      return this.fail(field, `${field} must be a calendar date written YYYY-MM-DD, not '${s}'`);
    return s;
  }

  oneOf<T extends string>(field: string, v: unknown, values: readonly T[], required: boolean): T | undefined {
    const s = this.text(field, v, required);
    if (s === undefined) return undefined;
    const k = s.toLowerCase() as T;
    if (!values.includes(k))
      return this.fail(field, `${field} must be one of ${values.join(', ')}; '${s}' is not`);
    return k;
  }

  list(field: string, v: unknown): string[] | undefined {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return v.split(/[\s,;|]+/).filter(Boolean);
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      return this.fail(field, `${field} must be a list of text values`);
    return v as string[];
  }

  object(field: string, v: unknown): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) return this.fail(field, `${field} must be an object`);
    return v as Obj;
  }
}

function start(input: unknown, what: string): Checker | FieldError[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [{ field: '', message: `a ${what} must be a JSON object` }];
  return new Checker(input as Obj);
}

function done<T>(c: Checker, value: T): Checked<T> {
  return c.errors.length ? { ok: false, errors: c.errors } : { ok: true, value };
}

// -----------------------------------------------------------------------------------------------
// Products

const PRODUCT_FIELDS = [
  'gtin',
  'ndc',
  'name',
  'strength',
  'dosageForm',
  'packSize',
  'markets',
  'gcpLength',
  'packaging',
];

/** The NDC of a product: as labelled (hyphenated) and NDC-11; checked against the GTIN. */
function checkNdc(
  c: Checker,
  v: unknown,
  gtin: string | undefined,
): { ndc: string; ndc11: string; labeler: number } | undefined {
  const s = c.text('ndc', v, false, 20);
  if (s === undefined) return undefined;
  const parsed = parseNdc(s);
  if (!parsed.ok) return c.fail('ndc', `ndc: ${parsed.errors[0]!.message}`);
  const n11 = ndcTo11(s);
  if (!n11.ok) return c.fail('ndc', `ndc: ${n11.errors[0]!.message}`);
  const inGtin = gtin ? gtinToNdc10(gtin) : undefined;
  let labelled = `${parsed.value.labeler}-${parsed.value.product}-${parsed.value.package}`;
  let labeler = parsed.value.labeler.length;
  if (inGtin?.ok) {
    const digits = inGtin.value;
    if (['4-4-2', '5-3-2', '5-4-1'].includes(parsed.value.layout)) {
      const d = ndc10Digits(s);
      if (d.ok && d.value !== digits)
        return c.fail('ndc', `ndc ${s} does not match GTIN ${gtin}, which carries the NDC digits ${digits}`);
    } else {
      // An NDC-11 (or 5-4-2): find the NDC-10 layout of the GTIN's digits that gives it.
      const layouts: [number, number][] = [
        [4, 4],
        [5, 3],
        [5, 4],
      ];
      const match = layouts
        .map(([a, b]) => [digits.slice(0, a), digits.slice(a, a + b), digits.slice(a + b)] as const)
        .find(
          ([l, p, k]) =>
            ndcTo11(`${l}-${p}-${k}`).ok &&
            (ndcTo11(`${l}-${p}-${k}`) as { value: string }).value === n11.value,
        );
      if (!match)
        return c.fail(
          'ndc',
          `ndc ${s} (NDC-11 ${n11.value}) does not match GTIN ${gtin}, which carries the NDC digits ${digits}`,
        );
      labelled = match.join('-');
      labeler = match[0].length;
    }
  }
  return { ndc: labelled, ndc11: n11.value, labeler };
}

function checkPackaging(c: Checker, v: unknown, unit: string | undefined): PackagingLevel[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    c.fail(
      'packaging',
      'packaging must be a list of levels: [{ "level": "case", "gtin": "…", "quantity": 12 }, …]',
    );
    return [];
  }
  const out: PackagingLevel[] = [];
  const seenGtin = new Map<string, string>(unit ? [[unit, 'unit']] : []);
  const seenLevel = new Set<string>();
  v.forEach((raw, i) => {
    const o = c.object(`packaging[${i}]`, raw);
    if (!o) {
      if (raw === undefined || raw === null) c.fail(`packaging[${i}]`, `packaging[${i}] is empty`);
      return;
    }
    const level = c.oneOf<PackagingLevelName>(`packaging[${i}].level`, o.level, PACKAGING_LEVELS, true);
    const name = level ? `packaging.${level}` : `packaging[${i}]`;
    c.unknown(['level', 'gtin', 'quantity'], `${name}.`, o);
    if (level && seenLevel.has(level)) c.fail(`${name}.level`, `the ${level} level is given twice`);
    if (level) seenLevel.add(level);
    const gtin = c.gtin(`${name}.gtin`, o.gtin);
    if (gtin) {
      const other = seenGtin.get(gtin);
      if (other)
        c.fail(
          `${name}.gtin`,
          `${name}.gtin ${gtin} is also the GTIN of the ${other} level; each level has a GTIN of its own`,
        );
      seenGtin.set(gtin, level ?? `level ${i + 1}`);
    }
    const quantity = c.integer(`${name}.quantity`, o.quantity, 1, 1_000_000, true);
    if (level && gtin && quantity !== undefined) out.push({ level, gtin, quantity });
  });
  return out.sort((a, b) => PACKAGING_LEVELS.indexOf(a.level) - PACKAGING_LEVELS.indexOf(b.level));
}

export function validateProduct(input: unknown): Checked<Product> {
  const c = start(input, 'product');
  if (Array.isArray(c)) return { ok: false, errors: c };
  const o = input as Obj;
  c.unknown(PRODUCT_FIELDS);
  const gtin = c.gtin('gtin', o.gtin);
  const name = c.text('name', o.name, true);
  const strength = c.text('strength', o.strength, false, 100);
  const dosageForm = c.text('dosageForm', o.dosageForm, false, 100);
  const packSize = c.integer('packSize', o.packSize, 1, 1_000_000, false);
  const marketList = c.list('markets', o.markets);
  const markets = new Set<string>();
  if (!marketList || marketList.length === 0)
    c.fail(
      'markets',
      'markets is required: the ISO country codes where the product is sold, such as US or DE',
    );
  else
    marketList.forEach((m, i) => {
      const code = c.country(`markets[${i}]`, m, true);
      if (code) markets.add(code);
    });
  const ndc = checkNdc(c, o.ndc, gtin);
  if (markets.has('US') && !ndc && o.ndc === undefined) {
    const carried = gtin ? gtinToNdc10(gtin) : undefined;
    c.fail(
      'ndc',
      `ndc is required for a product sold in the US${carried?.ok ? ` (GTIN ${gtin} carries the NDC digits ${carried.value}; give the NDC as labelled, with hyphens)` : ''}`,
    );
  }
  let gcpLength = c.integer('gcpLength', o.gcpLength, 4, 12, false);
  if (gcpLength === undefined && o.gcpLength === undefined) {
    // An NDC-based GTIN: the GS1 Company Prefix is 03 + the labeler code.
    if (ndc && gtin && gtinToNdc10(gtin).ok) gcpLength = ndc.labeler + 2;
    else
      c.fail(
        'gcpLength',
        'gcpLength is required: the number of digits of the GS1 Company Prefix in the GTIN (4 to 12)',
      );
  }
  const packaging = checkPackaging(c, o.packaging, gtin);
  if (c.errors.length) return { ok: false, errors: c.errors };
  return done(c, {
    gtin: gtin!,
    ...(ndc ? { ndc: ndc.ndc, ndc11: ndc.ndc11 } : {}),
    name: name!,
    ...(strength ? { strength } : {}),
    ...(dosageForm ? { dosageForm } : {}),
    ...(packSize !== undefined ? { packSize } : {}),
    markets: [...markets].sort(),
    gcpLength: gcpLength!,
    packaging,
  });
}

// -----------------------------------------------------------------------------------------------
// Locations

const LOCATION_FIELDS = ['gln', 'extension', 'name', 'type', 'address', 'geo', 'ownerGln'];

/** An SGLN extension (AI 254): 1–20 characters of GS1 set 82; `0` and empty mean none. */
export function checkExtension(
  v: unknown,
): { ok: true; value: string | undefined } | { ok: false; message: string } {
  if (v === undefined || v === null || v === '' || v === '0') return { ok: true, value: undefined };
  if (typeof v !== 'string') return { ok: false, message: 'extension must be text' };
  const problems = validateValue('254', v, { linters: false });
  if (problems.length)
    return {
      ok: false,
      message: `extension '${v}' is not a GLN extension (AI 254: 1 to 20 characters of GS1 character set 82): ${problems[0]!.message}`,
    };
  return { ok: true, value: v };
}

export function validateLocation(input: unknown): Checked<Location> {
  const c = start(input, 'location');
  if (Array.isArray(c)) return { ok: false, errors: c };
  const o = input as Obj;
  c.unknown(LOCATION_FIELDS);
  const gln = c.gln('gln', o.gln, true);
  const ext = checkExtension(o.extension);
  if (!ext.ok) c.fail('extension', ext.message);
  const name = c.text('name', o.name, true);
  const type = c.oneOf<LocationType>('type', o.type, LOCATION_TYPES, true);
  let address: Address | undefined;
  const a = c.object('address', o.address);
  if (a) {
    c.unknown(['street', 'city', 'postalCode', 'country'], 'address.', a);
    const street = c.text('address.street', a.street, false);
    const city = c.text('address.city', a.city, false, 100);
    const postalCode = c.text('address.postalCode', a.postalCode, false, 20);
    const country = c.country('address.country', a.country, true);
    if (country)
      address = {
        ...(street ? { street } : {}),
        ...(city ? { city } : {}),
        ...(postalCode ? { postalCode } : {}),
        country,
      };
  }
  let geo: { lat: number; lon: number } | undefined;
  const g = c.object('geo', o.geo);
  if (g) {
    c.unknown(['lat', 'lon'], 'geo.', g);
    const num = (field: string, v: unknown, limit: number) => {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n))
        return c.fail(field, `${field} must be a number (decimal degrees), not ${JSON.stringify(v)}`);
      if (n < -limit || n > limit)
        return c.fail(field, `${field} must be between -${limit} and ${limit} degrees; it is ${n}`);
      return n;
    };
    const lat = num('geo.lat', g.lat, 90);
    const lon = num('geo.lon', g.lon, 180);
    if (lat !== undefined && lon !== undefined) geo = { lat, lon };
  }
  const ownerGln = c.gln('ownerGln', o.ownerGln, false);
  return done(c, {
    gln: gln!,
    ...(ext.ok && ext.value !== undefined ? { extension: ext.value } : {}),
    name: name!,
    type: type!,
    ...(address ? { address } : {}),
    ...(geo ? { geo } : {}),
    ...(ownerGln ? { ownerGln } : {}),
  });
}

// -----------------------------------------------------------------------------------------------
// Partners

const PARTNER_FIELDS = ['gln', 'name', 'roles', 'status', 'licence', 'country'];

export function validatePartner(input: unknown): Checked<Partner> {
  const c = start(input, 'trading partner');
  if (Array.isArray(c)) return { ok: false, errors: c };
  const o = input as Obj;
  c.unknown(PARTNER_FIELDS);
  const gln = c.gln('gln', o.gln, true);
  const name = c.text('name', o.name, true);
  const roleList = c.list('roles', o.roles);
  const roles = new Set<PartnerRole>();
  if (!roleList || roleList.length === 0)
    c.fail('roles', `roles is required: one or more of ${PARTNER_ROLES.join(', ')}`);
  else
    roleList.forEach((r, i) => {
      const role = c.oneOf<PartnerRole>(`roles[${i}]`, r, PARTNER_ROLES, true);
      if (role) roles.add(role);
    });
  const status = c.oneOf<PartnerStatus>('status', o.status, PARTNER_STATUSES, true);
  let licence: Licence | undefined;
  const l = c.object('licence', o.licence);
  if (l) {
    c.unknown(['number', 'authority', 'validFrom', 'expiry'], 'licence.', l);
    const number = c.text('licence.number', l.number, true, 100);
    const authority = c.text('licence.authority', l.authority, true, 100);
    const validFrom = c.date('licence.validFrom', l.validFrom);
    const expiry = c.date('licence.expiry', l.expiry);
    if (validFrom && expiry && validFrom > expiry)
      c.fail('licence.expiry', `licence.expiry ${expiry} is before licence.validFrom ${validFrom}`);
    if (number && authority)
      licence = { number, authority, ...(validFrom ? { validFrom } : {}), ...(expiry ? { expiry } : {}) };
  } else if (status === 'authorised') {
    c.fail('licence', 'an authorised trading partner needs its licence (number and issuing authority)');
  }
  const country = c.country('country', o.country, false);
  return done(c, {
    gln: gln!,
    name: name!,
    roles: PARTNER_ROLES.filter((r) => roles.has(r)),
    status: status!,
    ...(licence ? { licence } : {}),
    ...(country ? { country } : {}),
  });
}
