/**
 * EPCIS XML (2.0 and 1.2): a safe streaming reader into the EPCIS 2.0 model, XSD-equivalent
 * structural validation, and writers for 2.0 and 1.2.
 */

export { XML_WARNING_CODES } from './map.ts';
export type {
  XmlDocumentHeader,
  XmlReadLimits,
  XmlReadOptions,
  XmlReadResult,
  XmlValidationResult,
} from './read.ts';
export {
  DEFAULT_XML_READ_LIMITS,
  EPCIS_CONTEXT_URL,
  parseEpcisXml,
  parseEpcisXmlEvent,
  validateEpcisXml,
  XML_READ_CODES,
} from './read.ts';
export { readEpcisXmlEvents } from './stream.ts';
export type { XmlAttr, XmlElement, XmlHandler, XmlLimits, XmlTokenizerOptions } from './tokenizer.ts';
export { DEFAULT_XML_LIMITS, isXmlWhitespace, XML_CODES, XmlError, XmlTokenizer } from './tokenizer.ts';
export { XSD_CODES } from './validator.ts';
export type { XmlWriteOptions, XmlWriteResult } from './write.ts';
export { escapeAttr, escapeText, writeEpcisXml, writeEpcisXmlEvent, XML_WRITE_CODES } from './write.ts';
