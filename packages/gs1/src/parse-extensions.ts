/**
 * Input forms handled by the other modules of the package: GS1 Digital Link URIs (plain and
 * compressed) and EPC URIs. Returns undefined when the input is none of them.
 */
import { formatDigitalLink, parseDigitalLink } from './digital-link/index.ts';
import type { AiElement } from './elements.ts';
import { epcToElements } from './epc/index.ts';
import type { Result } from './errors.ts';
import type { Gs1Data, ParseOptions } from './parse.ts';

/** `http://` or `https://`, all lower or all upper case: mixed case is not a Digital Link. */
const DL_SCHEME = /^(https?|HTTPS?):\/\//;

export function parseInputExtensions(s: string, opts: ParseOptions): Result<Gs1Data> | undefined {
  if (DL_SCHEME.test(s)) {
    // Associations are checked by the caller, over the whole element list, like every other form.
    const r = parseDigitalLink(s, { ...opts, permitCompressed: true, associations: false });
    if (!r.ok) return r;
    const dl = r.value;
    return {
      ok: true,
      value: {
        form: dl.compressed ? 'digital-link-compressed' : 'digital-link',
        elements: dl.elements,
        stem: dl.stem,
        fields: {},
        warnings: [],
      },
    };
  }
  if (s.startsWith('urn:epc:')) {
    if (s.startsWith('urn:epc:idpat:')) {
      return {
        ok: false,
        errors: [
          {
            code: 'RX_EPC_PATTERN',
            position: 0,
            message: 'An EPC pattern (urn:epc:idpat:…) stands for many identities, not one.',
          },
        ],
      };
    }
    const r = epcToElements(s);
    if (!r.ok) return r;
    return { ok: true, value: { form: 'epc', elements: r.value, fields: {}, warnings: [] } };
  }
  return undefined;
}

/** The canonical Digital Link URI of the elements, or undefined when they cannot form one. */
export function formatDigitalLinkIfPossible(
  elements: readonly AiElement[],
  stem?: string,
): string | undefined {
  const r = formatDigitalLink(elements, { ...(stem ? { stem } : {}), validate: false });
  return r.ok ? r.value : undefined;
}
