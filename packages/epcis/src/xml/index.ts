/**
 * EPCIS XML (2.0 and 1.2): a safe streaming reader into the EPCIS 2.0 model, XSD-equivalent
 * structural validation, and writers for 2.0 and 1.2.
 */
export { DEFAULT_XML_LIMITS, XML_CODES, XmlError, XmlTokenizer, isXmlWhitespace } from './tokenizer.ts';
export type { XmlAttr, XmlElement, XmlHandler, XmlLimits, XmlTokenizerOptions } from './tokenizer.ts';
export { XSD_CODES } from './validator.ts';
export { XML_WARNING_CODES } from './map.ts';
export {
  DEFAULT_XML_READ_LIMITS,
  EPCIS_CONTEXT_URL,
  XML_READ_CODES,
  parseEpcisXml,
  parseEpcisXmlEvent,
  validateEpcisXml,
} from './read.ts';
export type { XmlDocumentHeader, XmlReadLimits, XmlReadOptions, XmlReadResult, XmlValidationResult } from './read.ts';
export { XML_WRITE_CODES, escapeAttr, escapeText, writeEpcisXml, writeEpcisXmlEvent } from './write.ts';
export type { XmlWriteOptions, XmlWriteResult } from './write.ts';
export { readEpcisXmlEvents } from './stream.ts';
