/**
 * TI/TS exports: EPCIS 1.2 XML in the shape of the GS1 US implementation guideline (SBDH with
 * sender and receiver GLNs; master data in the header: the product classes with NDC, name, form,
 * strength, and the parties and locations with names and addresses; then the events of the
 * shipment's packs: commissioning, aggregation, the shipping event with the TS reference), and
 * a readable PDF.
 */
import { type EPCISDocument, type EPCISEvent, toEpcUrn, writeEpcisXml } from '@rxtrace/epcis';
import type { RxtraceStore, StoredEvent } from '@rxtrace/store';
import { allEvents, justAfter, SGTIN_RE } from './common.ts';
import { type TextLine, textPdf } from './text-pdf.ts';
import { shipmentContents, type TiParty, type TransactionInformation } from './ti.ts';

const SBDH_NS = 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader';
const MDA = 'urn:epcglobal:cbv:mda#';

/** Converts Digital Links to EPC URNs with the company prefix lengths of the registry's products. */
function urnConverter(prefixes: { digits: string; length: number }[]): (id: string) => string {
  const lookup = (digits: string) => prefixes.find((p) => digits.startsWith(p.digits))?.length;
  return (id) => {
    if (!id.startsWith('https://')) return id;
    const r = toEpcUrn(id, { gcpLookup: lookup });
    return r.ok ? r.value : id;
  };
}

function mapIds(e: EPCISEvent, urn: (id: string) => string): EPCISEvent {
  const out: Record<string, unknown> = { ...e };
  const list = (k: string) => {
    if (Array.isArray(out[k])) out[k] = (out[k] as string[]).map(urn);
  };
  list('epcList');
  list('childEPCs');
  list('inputEPCList');
  list('outputEPCList');
  if (typeof out.parentID === 'string') out.parentID = urn(out.parentID);
  for (const k of ['readPoint', 'bizLocation'])
    if (out[k] && typeof (out[k] as { id?: string }).id === 'string')
      out[k] = { ...(out[k] as object), id: urn((out[k] as { id: string }).id) };
  for (const [k, f] of [
    ['sourceList', 'source'],
    ['destinationList', 'destination'],
  ] as const)
    if (Array.isArray(out[k]))
      out[k] = (out[k] as Record<string, string>[]).map((x) => ({ ...x, [f]: urn(x[f]!) }));
  for (const k of ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'])
    if (Array.isArray(out[k]))
      out[k] = (out[k] as Record<string, unknown>[]).map((q) => ({
        ...q,
        epcClass: urn(q.epcClass as string),
      }));
  return out as EPCISEvent;
}

/** The events the guideline sends with a shipment: commissioning and aggregation of its contents, then the shipment. */
export async function shipmentEvents(store: RxtraceStore, ship: StoredEvent): Promise<StoredEvent[]> {
  const { packs, tree } = await shipmentContents(store, ship);
  const containers = [...tree.keys()];
  const objects = [...new Set([...packs, ...containers, ...[...tree.values()].flat()])];
  const lt = justAfter(ship.eventTime);
  const byId = new Map<string, StoredEvent>();
  for (let i = 0; i < objects.length; i += 5000) {
    const chunk = objects.slice(i, i + 5000);
    for (const e of await allEvents(store, {
      identifiers: [{ roles: ['epc', 'output'], values: chunk }],
      bizSteps: ['commissioning'],
      eventTime: { lt },
    }))
      if (!e.corrected) byId.set(e.eventId, e);
  }
  for (let i = 0; i < containers.length; i += 5000)
    for (const e of await allEvents(store, {
      eventTypes: ['AggregationEvent'],
      identifiers: [{ roles: ['parent'], values: containers.slice(i, i + 5000) }],
      eventTime: { lt },
    }))
      if (!e.corrected) byId.set(e.eventId, e);
  const list = [...byId.values()].sort((a, b) =>
    a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.seq - b.seq,
  );
  return [...list, ship];
}

function partyElement(p: TiParty, urn: (id: string) => string): Record<string, unknown> {
  const attrs: { id: string; attribute: string }[] = [];
  const a = (k: string, v: string | undefined) => {
    if (v) attrs.push({ id: `${MDA}${k}`, attribute: v });
  };
  a('name', p.name);
  a('streetAddressOne', p.address?.street);
  a('city', p.address?.city);
  a('postalCode', p.address?.postalCode);
  a('countryCode', p.address?.country);
  if (p.licence) {
    a('licenseNumber', p.licence.number);
    a('licenseAgency', p.licence.authority);
  }
  return { id: urn(p.id), attributes: attrs };
}

/** The TI as an EPCIS 1.2 XML document (GS1 US guideline shape). */
export async function tiToEpcis12(
  store: RxtraceStore,
  ti: TransactionInformation,
  ship: StoredEvent,
): Promise<{ xml: string; warnings: string[] }> {
  const prefixes: { digits: string; length: number }[] = [];
  const classes: Record<string, unknown>[] = [];
  const seenGtin = new Set<string>();
  for (const line of ti.products) {
    const p = (await store.registry.productOf(line.gtin))?.product;
    if (p) prefixes.push({ digits: p.gtin.slice(1, 1 + p.gcpLength), length: p.gcpLength });
  }
  const urn = urnConverter(prefixes);
  for (const line of ti.products) {
    if (seenGtin.has(line.gtin)) continue;
    seenGtin.add(line.gtin);
    const p = (await store.registry.productOf(line.gtin))?.product;
    const attrs: { id: string; attribute: string }[] = [];
    const a = (k: string, v: string | undefined) => {
      if (v) attrs.push({ id: `${MDA}${k}`, attribute: v });
    };
    if (p?.ndc11) {
      a('additionalTradeItemIdentification', p.ndc11);
      a('additionalTradeItemIdentificationTypeCode', 'FDA_NDC_11');
    }
    a('regulatedProductName', line.name);
    a('dosageFormType', line.dosageForm);
    a('strengthDescription', line.strength);
    if (line.packSize) a('netContentDescription', String(line.packSize));
    a('manufacturerOfTradeItemPartyName', undefined);
    const classId = urn(`https://id.gs1.org/01/${line.gtin}`);
    classes.push({ id: classId, attributes: attrs });
  }
  const parties = [ti.seller, ti.buyer, ti.shipFrom, ti.shipTo].filter((x): x is TiParty => !!x);
  const seenParty = new Set<string>();
  const locations = parties
    .filter((p) => !seenParty.has(p.id) && seenParty.add(p.id))
    .map((p) => partyElement(p, urn));
  const events = (await shipmentEvents(store, ship)).map((e) => mapIds(e.event, urn));
  const sender = ti.seller ?? ti.shipFrom;
  const receiver = ti.buyer ?? ti.shipTo;
  const ident = (p: TiParty | undefined) => ({
    'sbdh:Identifier': {
      Authority: 'SGLN',
      '#text': p?.gln ? urn(`https://id.gs1.org/414/${p.gln}`) : (p?.id ?? 'unknown'),
    },
  });
  const doc = {
    '@context': [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { sbdh: SBDH_NS, rx: 'https://rxtrace.org/epcis/ext/' },
    ],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: ti.generatedAt,
    epcisHeader: {
      'sbdh:StandardBusinessDocumentHeader': {
        'sbdh:HeaderVersion': '1.0',
        'sbdh:Sender': ident(sender),
        'sbdh:Receiver': ident(receiver),
        'sbdh:DocumentIdentification': {
          'sbdh:Standard': 'EPCglobal',
          'sbdh:TypeVersion': '1.0',
          'sbdh:InstanceIdentifier': ti.shipmentEventId.replace(/^urn:uuid:/, ''),
          'sbdh:Type': 'Events',
          'sbdh:CreationDateAndTime': ti.generatedAt,
        },
      },
      epcisMasterData: {
        vocabularyList: [
          { type: 'urn:epcglobal:epcis:vtype:EPCClass', vocabularyElementList: classes },
          { type: 'urn:epcglobal:epcis:vtype:Location', vocabularyElementList: locations },
        ],
      },
    },
    epcisBody: { eventList: events },
  } as unknown as EPCISDocument;
  const r = writeEpcisXml(doc, { version: '1.2' });
  if (!r.ok) throw new Error(`EPCIS 1.2 XML: ${r.errors.map((e) => e.message).join('; ')}`);
  return { xml: r.value, warnings: r.warnings.map((w) => w.message) };
}

function partyLines(label: string, p: TiParty | undefined): TextLine[] {
  if (!p) return [{ text: `${label}: (not given)` }];
  const out: TextLine[] = [{ text: `${label}: ${p.name ?? '(not in master data)'}`, bold: true }];
  if (p.gln) out.push({ text: `  GLN ${p.gln}` });
  else out.push({ text: `  ${p.id}` });
  if (p.address)
    out.push({
      text: `  ${[p.address.street, p.address.postalCode, p.address.city, p.address.country].filter(Boolean).join(', ')}`,
    });
  if (p.licence)
    out.push({
      text: `  Licence ${p.licence.number} (${p.licence.authority}${p.licence.expiry ? `, valid to ${p.licence.expiry}` : ''})`,
    });
  if (p.authorised !== undefined)
    out.push({
      text: `  Authorized trading partner on the transaction date: ${p.authorised ? 'yes' : 'NO'}`,
    });
  return out;
}

/** The TI and TS as a readable PDF. */
export function tiToPdf(ti: TransactionInformation): Uint8Array {
  const lines: TextLine[] = [
    { text: `Shipment ${ti.shipmentEventId}` },
    {
      text: `Transaction date: ${ti.transactionDate.slice(0, 10)}    Shipment date: ${ti.shipmentDate.slice(0, 10)}`,
    },
    ...ti.bizTransactions.map((b) => ({
      text: `Business transaction (${b.type || 'unspecified'}): ${b.id}`,
    })),
    { text: 'Parties', heading: true },
    ...partyLines('Seller (from)', ti.seller),
    ...partyLines('Buyer (to)', ti.buyer),
    ...(ti.shipFrom ? partyLines('Ship from', ti.shipFrom) : []),
    ...(ti.shipTo ? partyLines('Ship to', ti.shipTo) : []),
    { text: `Products (${ti.packCount} packs)`, heading: true },
  ];
  for (const p of ti.products) {
    lines.push({
      text: `${p.name ?? '(product not in master data)'}${p.strength ? ` ${p.strength}` : ''}${p.dosageForm ? `, ${p.dosageForm}` : ''}${p.packSize ? `, ${p.packSize} per pack` : ''}`,
      bold: true,
    });
    lines.push({
      text: `  NDC ${p.ndc ?? '-'}   GTIN ${p.gtin}   Lot ${p.lot ?? '-'}   Expiry ${p.expiry ?? '-'}   Quantity ${p.quantity}`,
    });
    lines.push({ text: `  Serial numbers: ${p.serials.join(', ')}` });
  }
  if (ti.containers.length) {
    lines.push({ text: 'Containers', heading: true });
    for (const c of ti.containers) lines.push({ text: `${c.id}: ${c.packs} packs` });
  }
  lines.push({ text: 'Transaction statement', heading: true });
  lines.push({ text: ti.statement.text });
  lines.push({ text: '' });
  lines.push({ text: `Generated ${ti.generatedAt} by rxtrace from the EPCIS event log.` });
  return textPdf('DSCSA Transaction Information and Statement', lines, new Date(ti.generatedAt));
}

export { SGTIN_RE };
