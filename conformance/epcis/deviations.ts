/**
 * EPCIS conformance cases on which rxtrace deliberately differs, keyed `group:caseId`, each with
 * its reason. None is allowed for the Event Hash ID vectors.
 */
export const EPCIS_KNOWN_DEVIATIONS: Record<string, string> = {};
