/**
 * EPCIS conformance cases on which rxtrace deliberately differs, keyed `group:caseId`, each with
 * its reason. None is allowed for the Event Hash ID vectors.
 */
export const EPCIS_KNOWN_DEVIATIONS: Record<string, string> = {
  // twins: XML/JSON pairs that do not hold the same events (differences found after the
  // canonicalisation documented in groups/xml.ts; their round-trip cases #2.0 / #1.2 all pass).
  ...Object.fromEntries(
    ['aggregation', 'association', 'transaction'].map((t) => [
      `twins:epcis-examples/xml/gs1/WithFullCombinationOfFields/${t}_event_all_possible_fields.xml`,
      'Not the same event (GS1 example pair): the JSON nests the extension objects one level deeper — ext1:object/ext2:object holds ' +
        '{ext2:object: {ext3:string}} (XML: {ext3:string}) and ext1:array[5] is {ext1:object: {ext1:object: {…}}} (XML: {ext1:object: {…}}), ' +
        'at event level and in sensorElement — and only the JSON has eventID, certificationInfo and errorDeclaration' +
        (t === 'aggregation'
          ? '; sensorReport component is example:x in the XML, latitude in the JSON.'
          : '.'),
    ]),
  ),
  'twins:epcis-examples/xml/gs1/WithFullCombinationOfFields/transformation_event_all_possible_fields.xml':
    'Not the same event (GS1 example pair): the extension-object nesting of the other GS1 pairs (event level, sensorElement and ILMD); ' +
    'only the JSON has eventID, certificationInfo and errorDeclaration; the ILMD cbvmda: members are in urn:epcglobal:cbv:mda in the XML ' +
    '(with measurementUnitCode="KGM" on the weights) but in http://example.com/cbvmda/ in the JSON @context.',
  'twins:epcis-examples/xml/gs1/WithFullCombinationOfFields/object_event_all_possible_fields.xml':
    'Not the same event (GS1 example pair): action OBSERVE in the XML, ADD in the JSON; only the JSON has eventID, certificationInfo, ' +
    'errorDeclaration, ILMD and the event-level extensions (ext1:array, boolean, default, float, int, object, string, time); the ' +
    'sensorElement extensions differ (XML: ext1:object/ext2:array is one value "11", JSON three; the JSON nests ext2:object deeper and ' +
    'adds ext1:array, float, int, time).',
  'twins:epcis-examples/xml/openepcis-2.0/Capture/Documents/Combination_of_different_event.xml':
    'Not the same instant: event 4 errorDeclaration.declarationTime is 2019-11-07T14:00:00.000+01:00 in the XML and 2019-11-07T14:00:00Z in the JSON (one hour apart).',
  'twins:epcis-examples/xml/openepcis-2.0/Query/Combination_of_different_event.xml':
    'Not the same instant: event 4 errorDeclaration.declarationTime is 2019-11-07T14:00:00.000+01:00 in the XML and 2019-11-07T14:00:00Z in the JSON (one hour apart).',
  'twins:epcis-examples/xml/openepcis-2.0/Capture/Events/TransformationEvent.xml':
    'Not the same instant: errorDeclaration.declarationTime is 2020-01-15T00:00:00+01:00 in the XML and 2020-01-15T00:00:00Z in the JSON (one hour apart).',
};
