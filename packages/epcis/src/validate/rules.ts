/**
 * The rules rxtrace applies beyond the official EPCIS 2.0 JSON Schema (problems with
 * `source: 'rule'`), and, for reference, the schema-enforced rules that get their own messages.
 * Errors make the value invalid (`report.valid === false`) although the schema alone accepts it
 * (`report.schemaValid` stays true); warnings never do. Turn the rules off with `{ rules: false }`.
 */
export interface RuleInfo {
  code: string;
  severity: 'error' | 'warning';
  applies: string;
  why: string;
}

export const VALIDATION_RULES: readonly RuleInfo[] = [
  {
    code: 'RX_EPCIS_PARENT_ID_REQUIRED',
    severity: 'error',
    applies: 'AggregationEvent with action ADD or DELETE and no parentID',
    why: 'EPCIS: parentID is optional only when action is OBSERVE (the schema does not tie it to the action).',
  },
  {
    code: 'RX_EPCIS_NUMBER_NOT_FINITE',
    severity: 'error',
    applies: 'quantity or sensor value that is ±Infinity (a JSON number beyond the double range, e.g. 1e400)',
    why: "The value cannot be stored, compared or hashed; the schema's `number` type accepts it.",
  },
  {
    code: 'RX_EPCIS_SENSOR_PERIOD_REVERSED',
    severity: 'error',
    applies: 'sensorMetadata.startTime later than sensorMetadata.endTime',
    why: 'The period of the sensor data is empty.',
  },
  {
    code: 'RX_EPCIS_HEX_BINARY_ODD',
    severity: 'error',
    applies: 'sensorReport.hexBinaryValue with an odd number of digits',
    why: 'xsd:hexBinary encodes whole octets; the XML binding (XSD) rejects it, so the JSON form must too for XML/JSON parity.',
  },
  {
    code: 'RX_EPCIS_SENSOR_TIME_AFTER_EVENT',
    severity: 'warning',
    applies: 'sensorMetadata.time / startTime / endTime or sensorReport.time later than eventTime',
    why: 'GS1 conformance requirement (draft, TCR53 / M122): sensor data is captured at or after the time it was recorded. A warning, because published examples break it.',
  },
  {
    code: 'RX_EPCIS_OFFSET_OUT_OF_RANGE',
    severity: 'warning',
    applies: 'eventTimeZoneOffset west of -12:00 (the schema pattern allows down to -14:00)',
    why: 'No time zone uses it; usually a sign error.',
  },
  {
    code: 'RX_EPCIS_DUPLICATE_EPC',
    severity: 'warning',
    applies: 'the same EPC twice in childEPCs or in a TransactionEvent epcList',
    why: "An object is in a list or not. (In ObjectEvent epcList and TransformationEvent input/outputEPCList the schema's uniqueItems makes it an error.)",
  },
  {
    code: 'RX_EPCIS_DUPLICATE_EPC_CLASS',
    severity: 'warning',
    applies: 'two elements with the same epcClass in one quantity list',
    why: 'Ambiguous: give one quantity per class.',
  },
  {
    code: 'RX_EPCIS_UOM_WITHOUT_QUANTITY',
    severity: 'warning',
    applies: 'quantity element with uom but no quantity',
    why: 'The uom qualifies the quantity; without it the element counts items.',
  },
  {
    code: 'RX_EPCIS_NEGATIVE_QUANTITY',
    severity: 'warning',
    applies: 'quantity below zero',
    why: 'A quantity of objects is not negative.',
  },
  {
    code: 'RX_EPCIS_PARENT_IS_CHILD',
    severity: 'warning',
    applies: 'parentID also listed in childEPCs',
    why: 'An object cannot contain itself.',
  },
  {
    code: 'RX_EPCIS_DISPOSITION_SET_AND_UNSET',
    severity: 'warning',
    applies: 'the same disposition in persistentDisposition.set and .unset',
    why: 'Contradictory.',
  },
  {
    code: 'RX_EPCIS_SENSOR_RANGE_REVERSED',
    severity: 'warning',
    applies: 'minValue > maxValue, or meanValue outside [minValue, maxValue]',
    why: 'Inconsistent aggregate.',
  },
  {
    code: 'RX_EPCIS_PERC_RANK_RANGE',
    severity: 'warning',
    applies: 'percRank outside 0–100',
    why: 'A percentile rank is a percentage.',
  },
  {
    code: 'RX_EPCIS_DUPLICATE_EVENT_ID',
    severity: 'warning',
    applies: 'an eventID used by an earlier event of the same document, neither being an error declaration',
    why: 'eventIDs are unique; only an error declaration repeats the eventID of the event it corrects.',
  },
  {
    code: 'RX_EPCIS_UNDECLARED_PREFIX',
    severity: 'warning',
    applies:
      'extension field `prefix:name` whose prefix no @context in scope declares (checked only when every context URL is a standard EPCIS one)',
    why: 'Without a declared prefix the field has no namespace (JSON-LD reads it as an absolute IRI with scheme `prefix`).',
  },
  {
    code: 'RX_EPCIS_SCHEMA_VERSION',
    severity: 'warning',
    applies: 'document schemaVersion not 2.x',
    why: 'The JSON / JSON-LD binding is EPCIS 2.0.',
  },
  // Query bodies (QueryParameterException).
  {
    code: 'RX_EPCIS_QUERY_LIMITS_EXCLUSIVE',
    severity: 'error',
    applies: 'query with both eventCountLimit and maxEventCount',
    why: 'EPCIS: mutually exclusive; a QueryParameterException SHALL be raised.',
  },
  {
    code: 'RX_EPCIS_QUERY_LIMIT_WITHOUT_ORDER',
    severity: 'error',
    applies: 'query with eventCountLimit and no orderBy',
    why: 'EPCIS: a QueryParameterException SHALL be raised.',
  },
  {
    code: 'RX_EPCIS_QUERY_NEGATIVE_LIMIT',
    severity: 'error',
    applies: 'negative eventCountLimit or maxEventCount',
    why: 'A count of events is not negative.',
  },
  {
    code: 'RX_EPCIS_QUERY_ORDER_BY',
    severity: 'error',
    applies: 'orderBy other than eventTime, recordTime or an extension field name',
    why: 'EPCIS: orderBy names eventTime, recordTime or an extension field.',
  },
  {
    code: 'RX_EPCIS_QUERY_EMPTY_TIME_RANGE',
    severity: 'warning',
    applies: 'LT_eventTime (LT_recordTime) not after GE_eventTime (GE_recordTime)',
    why: 'The query can match no event.',
  },
];

/**
 * Rules the schema does enforce, which rxtrace reports with a specific message (`source: 'schema'`,
 * schema keyword as code): listed so that the behaviour is documented in one place.
 */
export const SCHEMA_ENFORCED_RULES: readonly string[] = [
  'ILMD only on ObjectEvent with action ADD (anyOf) and on TransformationEvent (propertyNames elsewhere).',
  'AssociationEvent: parentID always required; childEPCs or childQuantityList non-empty unless action is DELETE (TCR54).',
  'AggregationEvent: childEPCs or childQuantityList non-empty unless action is DELETE.',
  'TransactionEvent: non-empty bizTransactionList; epcList or non-empty quantityList unless DELETE.',
  'TransformationEvent: non-empty inputs and outputs, or one side plus transformationID; no action.',
  'ObjectEvent: epcList, non-empty quantityList, or sensorElementList together with readPoint.',
  'CBV values: standard bare words, or custom URIs outside urn:epcglobal:cbv / ns.gs1.org/cbv (measurement and alert types: outside gs1.org/voc); a CBV URN in JSON gets the bare word suggested.',
  'Unknown fields of standard event types, documents, sensor elements/metadata/reports, error declarations and ILMD must be URIs / CURIEs.',
  'eventTimeZoneOffset matches ±hh:mm between -14:00 and +14:00; all times are RFC 3339 date-times with an offset.',
  'Duplicate EPCs in ObjectEvent epcList and TransformationEvent input/outputEPCList (uniqueItems).',
  'A bare event (POST /events) carries its own @context.',
];
