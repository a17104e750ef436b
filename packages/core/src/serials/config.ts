/**
 * Serial pool configuration: validation, the guess probability, market rules.
 *
 * Guess probability (EU Delegated Regulation 2016/161 Art. 4(b)): the chance that a made-up
 * serial is a valid one = the serials valid at once (the pool's `plannedVolume`: every serial the
 * GTIN will carry over the product's life) divided by the size of the space the random part is
 * drawn from (charset size ^ length). A pool at or above 1/10,000 is refused, whatever its
 * markets: rxtrace applies the EU floor to every random pool.
 *
 * Sequential serials are guessable by construction; a sequential pool is allowed only when EVERY
 * market it lists allows it. rxtrace's table: US (DSCSA, FD&C Act 582: serial numbers of up to 20
 * alphanumeric characters, no randomisation requirement) allows it. The EU/EEA markets (FMD,
 * 2016/161 Art. 4: randomised serials) and any market rxtrace has no rule for do not.
 */
import { CSET82, computeCheckDigit, isCset82 } from '@rxtrace/gs1';
import type { SerialPoolKind } from '@rxtrace/store';
import { SerialError } from './errors.ts';

/** The named character sets (all inside GS1's AI-encodable set 82, so valid AI (21) values). */
export const SERIAL_CHARSETS: Readonly<Record<string, string>> = Object.freeze({
  numeric: '0123456789',
  /** Upper-case letters and digits. */
  alphanumeric: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  /** Upper and lower case letters and digits. */
  alphanumericMixed: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  /** Upper-case letters and digits without 0/O, 1/I (easier to read and key in). */
  unambiguous: '23456789ABCDEFGHJKLMNPQRSTUVWXYZ',
  /** The whole GS1 AI-encodable character set 82. */
  cset82: CSET82,
});

/** The refusal threshold: a pool's guess probability must be below this. */
export const MAX_GUESS_PROBABILITY = 1 / 10_000;

/** GS1 AI (21): at most 20 characters. */
export const MAX_SERIAL_LENGTH = 20;

/** EU member states and the EEA (FMD applies): randomised serials. */
const FMD_MARKETS = [
  'EU',
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
  'XI',
];

export interface MarketRule {
  sequentialAllowed: boolean;
  rule: string;
}

export const MARKET_RULES: Readonly<Record<string, MarketRule>> = Object.freeze({
  US: {
    sequentialAllowed: true,
    rule: 'US DSCSA (FD&C Act 582): serial numbers up to 20 alphanumeric characters; no randomisation requirement',
  },
  ...Object.fromEntries(
    FMD_MARKETS.map((m) => [
      m,
      {
        sequentialAllowed: false,
        rule: 'EU FMD, Delegated Regulation (EU) 2016/161 Art. 4(b): serials from a randomisation algorithm, guess probability below 1/10,000',
      },
    ]),
  ),
});

export function marketRule(market: string): MarketRule {
  return (
    MARKET_RULES[market] ?? {
      sequentialAllowed: false,
      rule: `no rule known to rxtrace for market ${market}: randomised serials required`,
    }
  );
}

/** What a client sends to create a pool. */
export interface SerialPoolInput {
  poolId?: string;
  kind: SerialPoolKind;
  /** GTIN-8/12/13/14 (all kinds but sscc). */
  gtin?: string;
  /** ISO 3166 country codes (or EU) where the packs are sold. Required for random and sequential pools. */
  markets?: string[];
  /** Serials the GTIN will carry at once (random pools: required, the numerator of the guess probability). */
  plannedVolume?: number;
  /** Random pools: a name of SERIAL_CHARSETS, or the characters themselves (each in CSET 82). */
  charset?: string;
  /** Random pools: characters drawn at random. Sequential pools: zero-padded width of the number. */
  length?: number;
  /** Fixed characters before the random or sequential part (counted in the 20). */
  prefix?: string;
  /** Sequential pools: first and last number (default 1 and the largest of `length` digits). */
  start?: number;
  end?: number;
  /** SSCC pools: GS1 Company Prefix (7–11 digits) and extension digit. */
  companyPrefix?: string;
  extensionDigit?: number;
  /** SSCC pools: serial reference range (default: all of it). */
  rangeStart?: number;
  rangeEnd?: number;
  /** Free text: product name, contract manufacturer… */
  label?: string;
}

/** A validated pool configuration (stored as the pool's config). */
export interface SerialPoolConfig {
  kind: SerialPoolKind;
  key: string;
  gtin?: string;
  markets: string[];
  label?: string;
  prefix: string;
  // random
  charset?: string;
  length?: number;
  plannedVolume?: number;
  guessProbability?: number;
  spaceSize?: number;
  // sequential / sscc
  start?: number;
  end?: number;
  width?: number;
  companyPrefix?: string;
  extensionDigit?: number;
}

const bad = (detail: string, extra: Record<string, unknown> = {}) =>
  new SerialError(400, 'Invalid serial pool configuration', detail, extra);

/** GTIN-8/12/13/14 → 14 digits, or a SerialError. */
export function normaliseGtin14(gtin: unknown, field = 'gtin'): string {
  if (typeof gtin !== 'string' || !/^\d{8}$|^\d{12,14}$/.test(gtin))
    throw new SerialError(
      400,
      'Invalid GTIN',
      `${field} must be a GTIN of 8, 12, 13 or 14 digits, not ${JSON.stringify(gtin)}`,
    );
  const g = gtin.padStart(14, '0');
  const check = computeCheckDigit(g.slice(0, 13));
  if (check !== g[13])
    throw new SerialError(
      400,
      'Invalid GTIN',
      `${field} ${gtin}: wrong check digit (it should end in ${check})`,
    );
  return g;
}

/** The guess probability: planned volume / charset size ^ length. */
export function guessProbability(plannedVolume: number, charsetSize: number, length: number): number {
  return plannedVolume / charsetSize ** length;
}

function intIn(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw bad(`${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(v)}`);
  return v;
}

function marketsOf(input: SerialPoolInput): string[] {
  const m = input.markets;
  if (!Array.isArray(m) || m.length === 0)
    throw bad(
      'markets is required: the ISO 3166 country codes (or EU) where the packs are sold, e.g. ["DE","FR"] or ["US"]',
    );
  return [
    ...new Set(
      m.map((x) => {
        if (typeof x !== 'string' || !/^[A-Za-z]{2}$/.test(x))
          throw bad(`market ${JSON.stringify(x)} is not a two-letter country code (or EU)`);
        return x.toUpperCase();
      }),
    ),
  ];
}

function prefixOf(input: SerialPoolInput): string {
  const p = input.prefix ?? '';
  if (typeof p !== 'string' || !isCset82(p))
    throw bad(`prefix ${JSON.stringify(p)} has characters outside the GS1 AI-encodable set 82`);
  return p;
}

/** Validates a pool configuration; throws SerialError (400/422) with a precise detail. */
export function validatePoolConfig(input: SerialPoolInput): SerialPoolConfig {
  if (!input || typeof input !== 'object') throw bad('the pool configuration must be an object');
  const label = typeof input.label === 'string' ? { label: input.label } : {};
  switch (input.kind) {
    case 'random': {
      const gtin = normaliseGtin14(input.gtin);
      const markets = marketsOf(input);
      const prefix = prefixOf(input);
      const named = input.charset ?? 'alphanumeric';
      if (typeof named !== 'string') throw bad('charset must be a string');
      const charset = Object.hasOwn(SERIAL_CHARSETS, named) ? SERIAL_CHARSETS[named]! : named;
      if (charset.length < 2) throw bad(`charset ${JSON.stringify(named)} has fewer than 2 characters`);
      if (!isCset82(charset))
        throw bad(
          `charset ${JSON.stringify(named)} is neither a named set (${Object.keys(SERIAL_CHARSETS).join(', ')}) nor characters of GS1 set 82`,
        );
      if (new Set(charset).size !== charset.length)
        throw bad(`charset ${JSON.stringify(named)} repeats a character`);
      const length = intIn(input.length, 'length', 1, MAX_SERIAL_LENGTH - prefix.length);
      if (input.plannedVolume === undefined)
        throw bad(
          "plannedVolume is required for a random pool: the number of serials this GTIN will carry over the product's life (it sets the guess probability)",
        );
      const plannedVolume = intIn(input.plannedVolume, 'plannedVolume', 1, Number.MAX_SAFE_INTEGER);
      const p = guessProbability(plannedVolume, charset.length, length);
      const space = charset.length ** length;
      if (!(p < MAX_GUESS_PROBABILITY))
        throw new SerialError(
          422,
          'Serial pool too easy to guess',
          `a random pool of ${length} characters from a set of ${charset.length} (${space.toExponential(3)} serials) holding ${plannedVolume} valid serials has a guess probability of ${p.toExponential(3)} (1 in ${Math.round(1 / p)}); it must be below 1/10,000 (EU Delegated Regulation 2016/161 Art. 4(b)). Use more characters, a larger charset or a smaller plannedVolume.`,
          { guessProbability: p, limit: MAX_GUESS_PROBABILITY, spaceSize: space, plannedVolume },
        );
      return {
        kind: 'random',
        key: gtin,
        gtin,
        markets,
        ...label,
        prefix,
        charset,
        length,
        plannedVolume,
        guessProbability: p,
        spaceSize: space,
      };
    }
    case 'sequential': {
      const gtin = normaliseGtin14(input.gtin);
      const markets = marketsOf(input);
      const refusing = markets.filter((m) => !marketRule(m).sequentialAllowed);
      if (refusing.length)
        throw new SerialError(
          422,
          'Sequential serials not allowed',
          `sequential serials are allowed only where every market allows them; ${refusing.join(', ')} ${refusing.length > 1 ? 'do' : 'does'} not (${marketRule(refusing[0]!).rule})`,
          { markets: refusing },
        );
      const prefix = prefixOf(input);
      const width = intIn(
        input.length ?? Math.min(12, MAX_SERIAL_LENGTH - prefix.length),
        'length',
        1,
        Math.min(15, MAX_SERIAL_LENGTH - prefix.length),
      );
      const maxN = 10 ** width - 1;
      const start = intIn(input.start ?? 1, 'start', 0, maxN);
      const end = intIn(input.end ?? maxN, 'end', start, maxN);
      return { kind: 'sequential', key: gtin, gtin, markets, ...label, prefix, width, start, end };
    }
    case 'list': {
      const gtin = normaliseGtin14(input.gtin);
      const markets = Array.isArray(input.markets) ? marketsOf(input) : [];
      return { kind: 'list', key: gtin, gtin, markets, ...label, prefix: '' };
    }
    case 'sscc': {
      const gcp = input.companyPrefix;
      if (typeof gcp !== 'string' || !/^\d{7,11}$/.test(gcp))
        throw bad(`companyPrefix must be a GS1 Company Prefix of 7 to 11 digits, not ${JSON.stringify(gcp)}`);
      const extensionDigit = intIn(input.extensionDigit ?? 0, 'extensionDigit', 0, 9);
      const width = 16 - gcp.length;
      const maxN = 10 ** width - 1;
      const start = intIn(input.rangeStart ?? 0, 'rangeStart', 0, maxN);
      const end = intIn(input.rangeEnd ?? maxN, 'rangeEnd', start, maxN);
      return {
        kind: 'sscc',
        key: 'sscc',
        markets: [],
        ...label,
        prefix: '',
        companyPrefix: gcp,
        extensionDigit,
        width,
        start,
        end,
      };
    }
    default:
      throw bad(
        `kind must be random, sequential, list or sscc, not ${JSON.stringify((input as { kind?: unknown }).kind)}`,
      );
  }
}
