/** TI/TS of a shipment (JSON, EPCIS 1.2 XML, PDF) and a pack's transaction history, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseEpcisXml, validateEpcisXml } from '@rxtrace/epcis';
import { readPdf } from '../labels/pdf-reader.ts';
import {
  at,
  EXPIRY,
  GTIN,
  gln,
  LOT,
  MFR,
  NDC,
  onBothStores,
  PHARMACY,
  PO,
  pack,
  receive,
  ship,
  sscc,
  standardShipment,
  WHS,
} from './test-support.ts';
import {
  findShipments,
  TRANSACTION_STATEMENT_POINTS,
  transactionHistory,
  transactionInformation,
} from './ti.ts';
import { tiToEpcis12, tiToPdf } from './ti-export.ts';

onBothStores((name, open) => {
  describe(`transaction information (${name})`, () => {
    test('TI of a shipment: products per GTIN/lot with serials, NDC and name, parties with GLN/name/address/licence, dates, containers, TS', async () => {
      const ctx = await open();
      const id = await standardShipment(ctx);
      const [e] = await findShipments(ctx.store, id);
      assert.ok(e);
      const ti = await transactionInformation(ctx.store, e);
      assert.equal(ti.shipmentEventId, id);
      assert.equal(ti.shipmentDate, at(10));
      assert.equal(ti.transactionDate, at(10));
      assert.deepEqual(ti.bizTransactions, [{ type: 'po', id: PO }]);
      assert.equal(ti.packCount, 6);
      assert.equal(ti.products.length, 1);
      const p = ti.products[0]!;
      assert.equal(p.gtin, GTIN);
      assert.equal(p.ndc, NDC);
      assert.equal(p.name, 'Metoprolol Tartrate Tablets');
      assert.equal(p.lot, LOT);
      assert.equal(p.expiry, EXPIRY);
      assert.equal(p.quantity, 6);
      assert.deepEqual(p.serials, ['S0001', 'S0002', 'S0003', 'S0004', 'S0005', 'S0006']);
      assert.deepEqual(ti.containers, [
        { id: sscc(1), packs: 3 },
        { id: sscc(2), packs: 3 },
      ]);
      assert.equal(ti.seller?.gln, gln(MFR));
      assert.equal(ti.seller?.name, 'Acme Pharma Inc.');
      assert.equal(ti.seller?.authorised, true);
      assert.equal(ti.seller?.licence?.number, 'LIC-1');
      assert.equal(ti.buyer?.name, 'Big Wholesale LLC');
      assert.equal(ti.shipTo?.name, 'Big Wholesale LLC site');
      assert.equal(ti.shipTo?.address?.city, 'Newark');
      assert.equal(ti.statement.by, 'Acme Pharma Inc.');
      assert.equal(ti.statement.points.length, TRANSACTION_STATEMENT_POINTS.length);
      assert.match(
        ti.statement.text,
        /^Acme Pharma Inc\., transferring ownership .* did not knowingly alter the transaction history\.$/,
      );
      // The same shipment found by its PO.
      const byPo = await findShipments(ctx.store, PO);
      assert.deepEqual(
        byPo.map((x) => x.eventId),
        [id],
      );
      assert.deepEqual(await findShipments(ctx.store, 'urn:uuid:unknown'), []);
    });

    test('contents as they were at shipment time: a pack taken out of its case later still counts', async () => {
      const ctx = await open();
      const id = await standardShipment(ctx);
      await ctx.send([
        {
          type: 'AggregationEvent',
          eventTime: at(30),
          eventTimeZoneOffset: '+00:00',
          parentID: sscc(1),
          childEPCs: [pack(1)],
          action: 'DELETE',
          bizStep: 'unpacking',
        },
      ]);
      const [e] = await findShipments(ctx.store, id);
      const ti = await transactionInformation(ctx.store, e!);
      assert.equal(ti.packCount, 6);
    });

    test('EPCIS 1.2 XML: SBDH sender/receiver, master data (NDC, names, addresses), commissioning + aggregation + shipping events as EPC URNs; schema-valid', async () => {
      const ctx = await open();
      const id = await standardShipment(ctx);
      const [e] = await findShipments(ctx.store, id);
      const ti = await transactionInformation(ctx.store, e!);
      const { xml } = await tiToEpcis12(ctx.store, ti, e!);
      assert.match(xml, /xmlns:epcis="urn:epcglobal:epcis:xsd:1"/);
      assert.match(xml, /schemaVersion="1.2"/);
      assert.match(
        xml,
        /<sbdh:Sender>\s*<sbdh:Identifier Authority="SGLN">urn:epc:id:sgln:0303450\.00001\.0<\/sbdh:Identifier>/,
      );
      assert.match(
        xml,
        /<sbdh:Receiver>\s*<sbdh:Identifier Authority="SGLN">urn:epc:id:sgln:0303450\.00002\.0<\/sbdh:Identifier>/,
      );
      assert.match(
        xml,
        /<attribute id="urn:epcglobal:cbv:mda#additionalTradeItemIdentification">00345015801<\/attribute>/,
      );
      assert.match(xml, /FDA_NDC_11/);
      assert.match(xml, /regulatedProductName">Metoprolol Tartrate Tablets</);
      assert.match(xml, /urn:epc:idpat:sgtin:0303450\.\d+\.\*/);
      assert.match(xml, /streetAddressOne">1 Main Street</);
      assert.match(xml, /<epc>urn:epc:id:sgtin:0303450\.\d+\.S0001<\/epc>/);
      assert.match(xml, /<parentID>urn:epc:id:sscc:0303450\.\d+<\/parentID>/);
      assert.match(xml, /urn:epcglobal:cbv:bizstep:shipping/);
      assert.match(xml, /urn:epcglobal:cbv:bizstep:commissioning/);
      const v = validateEpcisXml(xml);
      assert.equal(v.valid, true, JSON.stringify(v));
      assert.equal(v.version, '1.2');
      const back = parseEpcisXml(xml);
      assert.equal(back.ok, true);
      const events = (back as { value: { epcisBody: { eventList: unknown[] } } }).value.epcisBody.eventList;
      assert.equal(events.length, 4, 'commissioning, 2 aggregations, shipping');
    });

    test('PDF: readable TI with parties, product lines, serials and the statement', async () => {
      const ctx = await open();
      const id = await standardShipment(ctx);
      const [e] = await findShipments(ctx.store, id);
      const ti = await transactionInformation(ctx.store, e!);
      const pdf = readPdf(tiToPdf(ti));
      const text = pdf.pages.flatMap((p) => p.texts.map((t) => t.text)).join('\n');
      assert.match(text, /DSCSA Transaction Information and Statement/);
      assert.match(text, /Seller \(from\): Acme Pharma Inc\./);
      assert.match(text, /NDC 0345-0158-01 +GTIN \d{14} +Lot L100 +Expiry 2028-12-31 +Quantity 6/);
      assert.match(text, /S0001, S0002/);
      assert.match(text, /Transaction statement/);
    });

    test('transaction history of a pack: every shipment that carried it, in its container, oldest first', async () => {
      const ctx = await open();
      const id = await standardShipment(ctx);
      await ctx.send([
        receive([sscc(1), sscc(2)], at(60), MFR, WHS),
        ship([pack(2)], at(120), WHS, PHARMACY, 'urn:epcglobal:cbv:bt:0303450000002:PO-9'),
      ]);
      const h = await transactionHistory(ctx.store, pack(2));
      assert.ok(h);
      assert.equal(h.ndc, NDC);
      assert.equal(h.lot, LOT);
      assert.deepEqual(
        h.transactions.map((t) => [t.shipmentEventId === id, t.from?.id, t.to?.id, t.via ?? null]),
        [
          [true, `https://id.gs1.org/417/${gln(MFR)}`, `https://id.gs1.org/417/${gln(WHS)}`, sscc(1)],
          [false, `https://id.gs1.org/417/${gln(WHS)}`, `https://id.gs1.org/417/${gln(PHARMACY)}`, null],
        ],
      );
      assert.equal(await transactionHistory(ctx.store, pack(99)), undefined);
    });
  });
});
