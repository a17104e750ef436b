/** Master data registry: record checks, CSV import, the RegistryService. */
export { COUNTRY_CODES } from './countries.ts';
export { type CsvRecord, type CsvResult, headerKey, parseCsv } from './csv.ts';
export { type ParsedImport, parseRegistryCsv, type RegistryKind } from './import.ts';
export {
  type ImportOptions,
  type ImportResult,
  type ListQuery,
  type LocationKey,
  parseGlnKey,
  parseGtinKey,
  parseLocationKey,
  RegistryError,
  RegistryService,
} from './service.ts';
export {
  type Checked,
  checkExtension,
  type FieldError,
  validateLocation,
  validatePartner,
  validateProduct,
} from './validate.ts';
