/** The groups of the EPCIS conformance suite, in the order they run. One file per area. */
import type { EpcisGroup } from '../types.ts';
import { hashGroup } from './hash.ts';
import { jsonSchemaGroup } from './json-schema.ts';
import { twinsGroup, xsdGroup } from './xml.ts';

export const GROUPS: EpcisGroup[] = [hashGroup, jsonSchemaGroup, xsdGroup, twinsGroup];
