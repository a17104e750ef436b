/**
 * `rxtrace products | locations | partners`: the master data registry, directly in the store that
 * `rxtrace serve` uses (--data DIR / --db URL / DATABASE_URL). Tables by default, `--json` for
 * scripts. Invalid input: each fault on stderr, exit 1; usage errors: exit 2.
 */
import { readFileSync } from 'node:fs';
import { parseLocationKey, RegistryError, type RegistryKind, RegistryService } from '@rxtrace/core';
import { isRxtraceStore, type Location, type Partner, type Product, type Stored } from '@rxtrace/store';
import { dispatch, err, type Options, out, parse, UsageError } from '../args.ts';
import { openStore } from './store.ts';

const STORE_OPTS = {
  data: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const STORE_HELP = `Store (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://… (or DATABASE_URL)
Output: a table by default, --json for JSON.`;

async function withService<T>(
  values: { data?: string; db?: string },
  fn: (s: RegistryService) => Promise<T>,
): Promise<T> {
  const { store } = await openStore(values);
  try {
    await store.migrate();
    if (!isRxtraceStore(store)) throw new Error('this store has no master data registry');
    return await fn(new RegistryService(store.registry));
  } finally {
    await store.close();
  }
}

/** Runs a subcommand; a RegistryError is printed (every fault) and gives exit status 1. */
async function run(group: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof RegistryError)) throw e;
    if (e.errors.length > 1 || (e.errors.length === 1 && e.errors[0]!.message !== e.message)) {
      err(`rxtrace ${group}: ${e.message.replace(/: .*$/, '')}:`);
      for (const x of e.errors) err(`  ${x.message}`);
    } else err(`rxtrace ${group}: ${e.message}`);
    return 1;
  }
}

/** Column-aligned text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function json(v: unknown): void {
  out(JSON.stringify(v, null, 2));
}

function printJson(v: unknown): number {
  json(v);
  return 0;
}

function help(text: string): number {
  out(text);
  return 0;
}
const showHelp = help;

const csvList = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function noPositionals(p: string[]): void {
  if (p.length) throw new UsageError(`unexpected argument '${p[0]}'`);
}
function onePositional(p: string[], what: string): string {
  if (p.length !== 1) throw new UsageError(`give one ${what}`);
  return p[0]!;
}

/** Every page of a list. */
async function all<T>(
  list: (after?: string) => Promise<{ items: T[]; next?: string }>,
  limit?: number,
): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const page = await list(after);
    items.push(...page.items);
    after = page.next;
  } while (after !== undefined && (limit === undefined || items.length < limit));
  return limit === undefined ? items : items.slice(0, limit);
}

function limitOpt(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--limit must be a positive whole number, not '${v}'`);
  return n;
}

async function importFile(kind: RegistryKind, group: string, argv: string[], help: string): Promise<number> {
  const { values, positionals } = parse(argv, { ...STORE_OPTS, partial: { type: 'boolean' } });
  if (values.help) return showHelp(help);
  const file = onePositional(positionals, 'CSV file');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    err(`rxtrace ${group}: cannot read ${file}: ${(e as Error).message}`);
    return 1;
  }
  return run(group, () =>
    withService(values, async (s) => {
      const r = await s.importCsv(kind, text, { partial: values.partial === true });
      if (values.json) json(r);
      else {
        out(`${file}: ${r.rows} rows, ${r.stored} stored (${r.created} created, ${r.replaced} replaced)`);
        for (const e of r.errors) err(`  ${e.message}`);
      }
      return r.errors.length ? 1 : 0;
    }),
  );
}

// -------------------------------------------------------------------------------------------------
// products

const PRODUCTS_HELP = `rxtrace products — the product registry

Usage:
  rxtrace products add --gtin G --name N --markets US,DE [--ndc 0591-0933-01] [--strength S]
      [--form F] [--pack-size N] [--gcp-length N] [--bundle-gtin G --bundle-qty N]
      [--case-gtin G --case-qty N] [--pallet-gtin G --pallet-qty N] [--replace]
  rxtrace products list [--market US] [--ndc NDC] [--name TEXT] [--limit N]
  rxtrace products show <gtin>          the product of any GTIN of its hierarchy (unit, case…)
  rxtrace products import FILE.csv [--partial]
  rxtrace products delete <gtin>

Quantities are of the level below (a case holds --case-qty bundles, or units when there are no
bundles). --gcp-length is derived from the NDC for NDC-based GTINs. --replace overwrites a product.
${STORE_HELP}`;

function productRow(p: Stored<Product>): string[] {
  return [
    p.gtin,
    p.ndc ?? '',
    p.name,
    p.markets.join(','),
    p.packaging.map((l) => `${l.level} ${l.gtin} ×${l.quantity}`).join('; '),
  ];
}

const PRODUCT_ADD: Options = {
  ...STORE_OPTS,
  gtin: { type: 'string' },
  name: { type: 'string' },
  ndc: { type: 'string' },
  strength: { type: 'string' },
  form: { type: 'string' },
  'pack-size': { type: 'string' },
  markets: { type: 'string' },
  'gcp-length': { type: 'string' },
  'bundle-gtin': { type: 'string' },
  'bundle-qty': { type: 'string' },
  'case-gtin': { type: 'string' },
  'case-qty': { type: 'string' },
  'pallet-gtin': { type: 'string' },
  'pallet-qty': { type: 'string' },
  replace: { type: 'boolean' },
};

export function productsCommand(argv: string[]): Promise<number> {
  const g = 'products';
  return dispatch(
    g,
    PRODUCTS_HELP,
    {
      add: async (a) => {
        const { values: v, positionals } = parse(a, PRODUCT_ADD);
        if (v.help) return help(PRODUCTS_HELP);
        noPositionals(positionals);
        if (v.gtin === undefined) throw new UsageError('--gtin is required');
        const packaging = (['bundle', 'case', 'pallet'] as const).flatMap((level) => {
          const gtin = v[`${level}-gtin`] as string | undefined;
          const qty = v[`${level}-qty`] as string | undefined;
          if (gtin === undefined && qty === undefined) return [];
          if (gtin === undefined || qty === undefined)
            throw new UsageError(`--${level}-gtin and --${level}-qty go together`);
          return [{ level, gtin, quantity: qty }];
        });
        const input = defined({
          gtin: v.gtin,
          name: v.name,
          ndc: v.ndc,
          strength: v.strength,
          dosageForm: v.form,
          packSize: v['pack-size'],
          markets: csvList(v.markets as string | undefined),
          gcpLength: v['gcp-length'],
          packaging,
        });
        return run(g, () =>
          withService(v as { data?: string; db?: string }, async (s) => {
            const p = v.replace
              ? (await s.putProduct(v.gtin as string, input)).record
              : await s.createProduct(input);
            if (v.json) json(p);
            else out(`product ${p.gtin} ${v.replace ? 'stored' : 'added'}: ${p.name}`);
            return 0;
          }),
        );
      },
      list: async (a) => {
        const { values: v, positionals } = parse(a, {
          ...STORE_OPTS,
          market: { type: 'string' },
          ndc: { type: 'string' },
          name: { type: 'string' },
          limit: { type: 'string' },
        });
        if (v.help) return help(PRODUCTS_HELP);
        noPositionals(positionals);
        const limit = limitOpt(v.limit);
        return run(g, () =>
          withService(v, async (s) => {
            const f = defined({ market: v.market, ndc: v.ndc, name: v.name }) as {
              market?: string;
              ndc?: string;
              name?: string;
            };
            const items = await all(
              (after) =>
                s.listProducts(f, { limit: Math.min(limit ?? 1000, 1000), ...(after ? { after } : {}) }),
              limit,
            );
            if (v.json) json(items);
            else out(table(['GTIN', 'NDC', 'NAME', 'MARKETS', 'PACKAGING'], items.map(productRow)));
            return 0;
          }),
        );
      },
      show: async (a) => {
        const { values: v, positionals } = parse(a, STORE_OPTS);
        if (v.help) return help(PRODUCTS_HELP);
        const key = onePositional(positionals, 'GTIN');
        return run(g, () =>
          withService(v, async (s) => {
            const found = await s.productOf(key);
            if (!found) throw new RegistryError('not-found', `no product has GTIN ${key} at any level`);
            const p = found.product;
            if (v.json) return printJson({ ...found });
            const rows: string[][] = [
              ['GTIN', p.gtin],
              ...(found.level !== 'unit'
                ? [['looked up', `${key} = ${found.level} of ${found.units} units`]]
                : []),
              ['name', p.name],
              ...(p.ndc ? [['NDC', `${p.ndc} (NDC-11 ${p.ndc11})`]] : []),
              ...(p.strength ? [['strength', p.strength]] : []),
              ...(p.dosageForm ? [['dosage form', p.dosageForm]] : []),
              ...(p.packSize !== undefined ? [['pack size', String(p.packSize)]] : []),
              ['markets', p.markets.join(', ')],
              ['GCP length', String(p.gcpLength)],
              ...p.packaging.map((l) => [l.level, `${l.gtin}  ${l.quantity} × ${levelBelow(p, l.level)}`]),
              ['updated', p.updatedAt],
            ];
            out(table(['FIELD', 'VALUE'], rows));
            return 0;
          }),
        );
      },
      import: (a) => importFile('products', g, a, PRODUCTS_HELP),
      delete: async (a) => {
        const { values: v, positionals } = parse(a, STORE_OPTS);
        if (v.help) return help(PRODUCTS_HELP);
        const key = onePositional(positionals, 'GTIN');
        return run(g, () =>
          withService(v, async (s) => {
            await s.deleteProduct(key);
            err(`product ${key} deleted`);
            return 0;
          }),
        );
      },
    },
    argv,
  );
}

function levelBelow(p: Product, level: string): string {
  const i = p.packaging.findIndex((l) => l.level === level);
  return i <= 0 ? 'unit' : p.packaging[i - 1]!.level;
}

// -------------------------------------------------------------------------------------------------
// locations

const LOCATIONS_HELP = `rxtrace locations — locations (GLN, or SGLN = GLN + extension)

Usage:
  rxtrace locations add --gln G [--ext E] --name N --type T [--street S] [--city C]
      [--postal-code P] [--country CC] [--lat D --lon D] [--owner GLN] [--replace]
  rxtrace locations list [--type T] [--country CC] [--gln G] [--owner GLN] [--name TEXT] [--limit N]
  rxtrace locations show <gln | sgln>   (13 digits, urn:epc:id:sgln:…, or a Digital Link; --ext E)
  rxtrace locations import FILE.csv [--partial]
  rxtrace locations delete <gln | sgln> [--ext E]

Types: site, plant, line, warehouse, distribution-centre, dock, pharmacy, hospital, clinic, office, other.
${STORE_HELP}`;

function locationRow(l: Stored<Location>): string[] {
  return [
    l.gln,
    l.extension ?? '',
    l.type,
    l.name,
    [l.address?.city, l.address?.country].filter(Boolean).join(', '),
    l.ownerGln ?? '',
  ];
}

/** `--lat -33.9` → `--lat=-33.9`: a negative coordinate is a value, not an option. */
function joinNegativeNumbers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if ((a === '--lat' || a === '--lon') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export function locationsCommand(argv: string[]): Promise<number> {
  const g = 'locations';
  return dispatch(
    g,
    LOCATIONS_HELP,
    {
      add: async (a) => {
        const { values: v, positionals } = parse(joinNegativeNumbers(a), {
          ...STORE_OPTS,
          gln: { type: 'string' },
          ext: { type: 'string' },
          name: { type: 'string' },
          type: { type: 'string' },
          street: { type: 'string' },
          city: { type: 'string' },
          'postal-code': { type: 'string' },
          country: { type: 'string' },
          lat: { type: 'string' },
          lon: { type: 'string' },
          owner: { type: 'string' },
          replace: { type: 'boolean' },
        });
        if (v.help) return help(LOCATIONS_HELP);
        noPositionals(positionals);
        if (v.gln === undefined) throw new UsageError('--gln is required');
        const hasAddress = [v.street, v.city, v['postal-code'], v.country].some((x) => x !== undefined);
        const input = defined({
          gln: v.gln,
          extension: v.ext,
          name: v.name,
          type: v.type,
          address: hasAddress
            ? defined({ street: v.street, city: v.city, postalCode: v['postal-code'], country: v.country })
            : undefined,
          geo: v.lat !== undefined || v.lon !== undefined ? { lat: v.lat, lon: v.lon } : undefined,
          ownerGln: v.owner,
        });
        return run(g, () =>
          withService(v, async (s) => {
            const l = v.replace
              ? (await s.putLocation(parseLocationKey(v.gln as string, v.ext), input)).record
              : await s.createLocation(input);
            if (v.json) json(l);
            else out(`location ${l.id} ${v.replace ? 'stored' : 'added'}: ${l.name}`);
            return 0;
          }),
        );
      },
      list: async (a) => {
        const { values: v, positionals } = parse(a, {
          ...STORE_OPTS,
          type: { type: 'string' },
          country: { type: 'string' },
          gln: { type: 'string' },
          owner: { type: 'string' },
          name: { type: 'string' },
          limit: { type: 'string' },
        });
        if (v.help) return help(LOCATIONS_HELP);
        noPositionals(positionals);
        const limit = limitOpt(v.limit);
        return run(g, () =>
          withService(v, async (s) => {
            const f = defined({
              type: v.type,
              country: v.country,
              gln: v.gln,
              ownerGln: v.owner,
              name: v.name,
            });
            const items = await all(
              (after) =>
                s.listLocations(f, { limit: Math.min(limit ?? 1000, 1000), ...(after ? { after } : {}) }),
              limit,
            );
            if (v.json) json(items);
            else out(table(['GLN', 'EXTENSION', 'TYPE', 'NAME', 'PLACE', 'OWNER'], items.map(locationRow)));
            return 0;
          }),
        );
      },
      show: async (a) => {
        const { values: v, positionals } = parse(a, { ...STORE_OPTS, ext: { type: 'string' } });
        if (v.help) return help(LOCATIONS_HELP);
        const key = onePositional(positionals, 'GLN or SGLN');
        return run(g, () =>
          withService(v, async (s) => {
            const l = await s.getLocation(parseLocationKey(key, v.ext));
            if (v.json) return printJson(l);
            const a2 = l.address;
            out(
              table(
                ['FIELD', 'VALUE'],
                [
                  ['id', l.id],
                  ['name', l.name],
                  ['type', l.type],
                  ...(a2
                    ? [
                        [
                          'address',
                          [a2.street, [a2.postalCode, a2.city].filter(Boolean).join(' '), a2.country]
                            .filter(Boolean)
                            .join(', '),
                        ],
                      ]
                    : []),
                  ...(l.geo ? [['geo', `${l.geo.lat}, ${l.geo.lon}`]] : []),
                  ...(l.ownerGln ? [['owner', l.ownerGln]] : []),
                  ['updated', l.updatedAt],
                ],
              ),
            );
            return 0;
          }),
        );
      },
      import: (a) => importFile('locations', g, a, LOCATIONS_HELP),
      delete: async (a) => {
        const { values: v, positionals } = parse(a, { ...STORE_OPTS, ext: { type: 'string' } });
        if (v.help) return help(LOCATIONS_HELP);
        const key = onePositional(positionals, 'GLN or SGLN');
        return run(g, () =>
          withService(v, async (s) => {
            await s.deleteLocation(parseLocationKey(key, v.ext));
            err(`location ${key}${v.ext ? ` extension ${v.ext}` : ''} deleted`);
            return 0;
          }),
        );
      },
    },
    argv,
  );
}

// -------------------------------------------------------------------------------------------------
// partners

const PARTNERS_HELP = `rxtrace partners — trading partners and their licences

Usage:
  rxtrace partners add --gln G --name N --roles wholesaler[,3pl] --status authorised|suspended|revoked
      [--licence NUMBER --licence-authority A] [--licence-from YYYY-MM-DD] [--licence-expiry YYYY-MM-DD]
      [--country CC] [--replace]
  rxtrace partners list [--status S] [--role R] [--expiring-by YYYY-MM-DD] [--name TEXT] [--limit N]
  rxtrace partners show <gln> [--at ISO-TIME]   the record and whether it is authorised (now, or at)
  rxtrace partners import FILE.csv [--partial]
  rxtrace partners delete <gln>

Roles: manufacturer, repackager, wholesaler, dispenser, 3pl, mah, parallel-importer.
Authorised = status authorised and the licence valid on that day (through its expiry day, UTC).
${STORE_HELP}`;

function partnerRow(p: Stored<Partner>, authorised: boolean): string[] {
  return [
    p.gln,
    p.name,
    p.roles.join(','),
    p.status,
    p.licence ? `${p.licence.number} (${p.licence.authority})` : '',
    p.licence?.expiry ?? '',
    authorised ? 'yes' : 'no',
  ];
}

export function partnersCommand(argv: string[]): Promise<number> {
  const g = 'partners';
  return dispatch(
    g,
    PARTNERS_HELP,
    {
      add: async (a) => {
        const { values: v, positionals } = parse(a, {
          ...STORE_OPTS,
          gln: { type: 'string' },
          name: { type: 'string' },
          roles: { type: 'string' },
          status: { type: 'string' },
          licence: { type: 'string' },
          'licence-authority': { type: 'string' },
          'licence-from': { type: 'string' },
          'licence-expiry': { type: 'string' },
          country: { type: 'string' },
          replace: { type: 'boolean' },
        });
        if (v.help) return help(PARTNERS_HELP);
        noPositionals(positionals);
        if (v.gln === undefined) throw new UsageError('--gln is required');
        const hasLicence = [v.licence, v['licence-authority'], v['licence-from'], v['licence-expiry']].some(
          (x) => x !== undefined,
        );
        const input = defined({
          gln: v.gln,
          name: v.name,
          roles: csvList(v.roles),
          status: v.status,
          licence: hasLicence
            ? defined({
                number: v.licence,
                authority: v['licence-authority'],
                validFrom: v['licence-from'],
                expiry: v['licence-expiry'],
              })
            : undefined,
          country: v.country,
        });
        return run(g, () =>
          withService(v, async (s) => {
            const p = v.replace
              ? (await s.putPartner(v.gln as string, input)).record
              : await s.createPartner(input);
            if (v.json) json(p);
            else out(`partner ${p.gln} ${v.replace ? 'stored' : 'added'}: ${p.name} (${p.status})`);
            return 0;
          }),
        );
      },
      list: async (a) => {
        const { values: v, positionals } = parse(a, {
          ...STORE_OPTS,
          status: { type: 'string' },
          role: { type: 'string' },
          'expiring-by': { type: 'string' },
          name: { type: 'string' },
          limit: { type: 'string' },
        });
        if (v.help) return help(PARTNERS_HELP);
        noPositionals(positionals);
        const limit = limitOpt(v.limit);
        return run(g, () =>
          withService(v, async (s) => {
            const f = defined({
              status: v.status,
              role: v.role,
              licenceExpiringBy: v['expiring-by'],
              name: v.name,
            });
            const items = await all(
              (after) =>
                s.listPartners(f, { limit: Math.min(limit ?? 1000, 1000), ...(after ? { after } : {}) }),
              limit,
            );
            if (v.json) return printJson(items);
            const now = new Date();
            const rows: string[][] = [];
            for (const p of items) rows.push(partnerRow(p, await s.isAuthorised(p.gln, now)));
            out(table(['GLN', 'NAME', 'ROLES', 'STATUS', 'LICENCE', 'EXPIRES', 'AUTHORISED'], rows));
            return 0;
          }),
        );
      },
      show: async (a) => {
        const { values: v, positionals } = parse(a, { ...STORE_OPTS, at: { type: 'string' } });
        if (v.help) return help(PARTNERS_HELP);
        const key = onePositional(positionals, 'GLN');
        const at = v.at === undefined ? new Date() : new Date(v.at);
        if (Number.isNaN(at.getTime()))
          throw new UsageError(`--at must be an ISO 8601 date or time, not '${v.at}'`);
        return run(g, () =>
          withService(v, async (s) => {
            const p = await s.getPartner(key);
            const authorised = await s.isAuthorised(p.gln, at);
            if (v.json) return printJson({ ...p, authorised, at: at.toISOString() });
            out(
              table(
                ['FIELD', 'VALUE'],
                [
                  ['GLN', p.gln],
                  ['name', p.name],
                  ['roles', p.roles.join(', ')],
                  ['status', p.status],
                  ...(p.licence
                    ? [
                        [
                          'licence',
                          `${p.licence.number}, ${p.licence.authority}${p.licence.validFrom ? `, from ${p.licence.validFrom}` : ''}${p.licence.expiry ? `, expires ${p.licence.expiry}` : ''}`,
                        ],
                      ]
                    : []),
                  ...(p.country ? [['country', p.country]] : []),
                  ['authorised', `${authorised ? 'yes' : 'no'} (at ${at.toISOString()})`],
                  ['updated', p.updatedAt],
                ],
              ),
            );
            return 0;
          }),
        );
      },
      import: (a) => importFile('partners', g, a, PARTNERS_HELP),
      delete: async (a) => {
        const { values: v, positionals } = parse(a, STORE_OPTS);
        if (v.help) return help(PARTNERS_HELP);
        const key = onePositional(positionals, 'GLN');
        return run(g, () =>
          withService(v, async (s) => {
            await s.deletePartner(key);
            err(`partner ${key} deleted`);
            return 0;
          }),
        );
      },
    },
    argv,
  );
}
