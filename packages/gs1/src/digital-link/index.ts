/**
 * GS1 Digital Link: parse DL URIs (any domain, plain or compressed) into AI elements, format AI
 * elements as canonical DL URIs, percent-encoding per URI component, and the DL compression.
 */
export {
  type CompressDigitalLinkOptions,
  type CompressOptions,
  compressDigitalLink,
  compressElements,
  compressionLayout,
  type DecompressedData,
  decompressDigitalLink,
  decompressElements,
  isCompressedDigitalLink,
  parseCompressedDigitalLink,
} from './compress.ts';
export {
  arrangeForDigitalLink,
  CANONICAL_DL_STEM,
  type DigitalLinkFormatOptions,
  type DigitalLinkLayout,
  formatDigitalLink,
  writeDigitalLink,
} from './format.ts';
export {
  type DigitalLink,
  type DigitalLinkParseOptions,
  type ExpandedGtin,
  isDigitalLinkUri,
  otherQueryParams,
  parseDigitalLink,
} from './parse.ts';
export { percentDecode, percentEncode, type UriComponent } from './percent.ts';
export { CONVENIENCE_ALPHAS } from './tables.ts';
