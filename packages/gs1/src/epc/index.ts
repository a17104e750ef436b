/**
 * EPC (GS1 EPC Tag Data Standard): pure-identity URIs, LGTIN class URIs and patterns; conversion
 * to and from GS1 AI data; RFID tag encodings (tag URI, hex, bits).
 *
 * Everything returns `Result<T>`; nothing throws on bad input.
 */
export { type ComponentAlphabet, escapeComponent, escapeGs3a3, unescapeComponent } from './escape.ts';
export {
  type ElementsToEpcOptions,
  elementsToEpc,
  epcPatternToKey,
  epcToElements,
  epcToGs1Key,
  type GtinFormat,
  gtinInFormat,
} from './gs1.ts';
export {
  type EpcScheme,
  type FieldSpec,
  isEpcScheme,
  SCHEMES as EPC_SCHEMES,
  type SchemeDef,
  type TagScheme,
} from './schemes.ts';
export {
  decodeEpcBinary,
  decodeEpcTag,
  type EncodeTagOptions,
  type EpcTag,
  encodeEpcTag,
  parseTagUri,
  tagSchemesFor,
} from './tag.ts';
export {
  buildEpcUri,
  type EpcPattern,
  type EpcUri,
  imoCheckDigit,
  isEpcUri,
  iso6346CheckDigit,
  parseEpcPattern,
  parseEpcUri,
} from './uri.ts';
