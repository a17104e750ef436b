/** Every written form of one set of AIs, for display and interchange. */
import { formatBracketed, formatHri, formatUnbracketed } from './element-string.ts';
import type { AiElement } from './elements.ts';
import { formatDigitalLinkIfPossible } from './parse-extensions.ts';
import { generateScanData } from './scan-data.ts';

export interface Gs1Forms {
  /** Unbracketed, `^` for FNC1 (GS1 Syntax Engine notation). */
  elementString: string;
  /** Bracketed, `(01)…(21)…`. */
  bracketed: string;
  /** Human-readable interpretation, one `(AI) value` line each. */
  hri: string[];
  /** Canonical GS1 Digital Link URI, when the AIs have a primary key and can all be DL attributes. */
  digitalLink?: string;
  /** What a scanner transmits for a GS1 DataMatrix of these AIs. */
  scanData: string;
}

export function formatAll(
  elements: readonly AiElement[],
  opts: { linearCount?: number; stem?: string } = {},
): Gs1Forms {
  const elementString = formatUnbracketed(elements, opts);
  const scan = generateScanData(opts.linearCount === undefined ? 'DM' : 'GS1_128_CCA', elementString);
  const dl = formatDigitalLinkIfPossible(elements, opts.stem);
  return {
    elementString,
    bracketed: formatBracketed(elements, opts),
    hri: formatHri(elements),
    ...(dl ? { digitalLink: dl } : {}),
    scanData: scan.ok ? scan.value : '',
  };
}
