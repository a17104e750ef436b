/**
 * The commissioning event of serials a line printed: an EPCIS 2.0 ObjectEvent, action ADD,
 * bizStep commissioning, disposition active, the packs as GS1 Digital Links (AI 01 + AI 21) in
 * epcList, and the ILMD lot (`cbvmda:lotNumber`) and expiry (`cbvmda:itemExpirationDate`).
 */
import { CANONICAL_DL_STEM, percentEncode } from '@rxtrace/gs1';

export interface CommissioningInput {
  /** 14-digit GTIN. */
  gtin: string;
  serials: string[];
  lot?: string | undefined;
  /** YYYY-MM-DD. */
  expiry?: string | undefined;
  /** Default: now. */
  eventTime?: string | undefined;
  /** Default: +00:00. */
  eventTimeZoneOffset?: string | undefined;
  readPoint?: string | undefined;
  bizLocation?: string | undefined;
}

/** The Digital Link of one pack. */
export function sgtinDigitalLink(gtin: string, serial: string): string {
  return `${CANONICAL_DL_STEM}/01/${gtin}/21/${percentEncode(serial, 'path')}`;
}

/** The ObjectEvent (EPCIS 2.0 JSON-LD, without @context). */
export function buildCommissioningEvent(c: CommissioningInput): Record<string, unknown> {
  const ilmd: Record<string, string> = {};
  if (c.lot !== undefined) ilmd['cbvmda:lotNumber'] = c.lot;
  if (c.expiry !== undefined) ilmd['cbvmda:itemExpirationDate'] = c.expiry;
  return {
    type: 'ObjectEvent',
    eventTime: c.eventTime ?? new Date().toISOString(),
    eventTimeZoneOffset: c.eventTimeZoneOffset ?? '+00:00',
    epcList: c.serials.map((s) => sgtinDigitalLink(c.gtin, s)),
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    ...(c.readPoint ? { readPoint: { id: c.readPoint } } : {}),
    ...(c.bizLocation ? { bizLocation: { id: c.bizLocation } } : {}),
    ...(Object.keys(ilmd).length ? { ilmd } : {}),
  };
}

/** The event in an EPCIS 2.0 document, as the capture service takes it. */
export function commissioningDocument(c: CommissioningInput): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: [buildCommissioningEvent(c)] },
  });
}
