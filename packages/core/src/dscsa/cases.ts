/**
 * Suspect and illegitimate product (DSCSA section 582): case records with their steps
 *
 *   quarantined → investigating → cleared → closed
 *                               ↘ illegitimate → (fda_notified, partners_notified) → closed
 *
 * each step with who and when. Opening a case quarantines its packs and clearing releases them,
 * through EPCIS events captured into the log (the shared convention: quarantine = ObjectEvent
 * OBSERVE, bizStep holding, disposition non_sellable_other, `rx:reason`; release = OBSERVE with
 * disposition active), so the pack state follows.
 *
 * Clocks (computed on every read from the steps; `overdue` lists the ones past due):
 * - fda_notification      statute: FDA (Form 3911) within 24 h of the illegitimate determination;
 * - partner_notification  statute: all appropriate immediate trading partners within 24 h of it;
 * - high_risk_notification statute (manufacturers): FDA within 24 h of learning of a high risk of
 *                          illegitimacy (a case opened with `highRisk`);
 * - investigation_start   policy (hours configurable, default 24): the investigation starts
 *                          after quarantine (the Act says "promptly").
 * Termination of an illegitimate-product notification needs a consultation with FDA: closing an
 * illegitimate case requires both notifications recorded and `fdaConsulted`.
 */
import { randomUUID } from 'node:crypto';
import type { CaseStatus, CaseStep, RxtraceStore, SuspectCase } from '@rxtrace/store';
import type { CaptureService } from '../capture/service.ts';
import { parseTraceId, TraceIdError } from '../trace/trace.ts';
import { glnOf, SGTIN_RE } from './common.ts';
import { type TextLine, textPdf } from './text-pdf.ts';
import { productCache, transactionHistory } from './ti.ts';

/** Illegitimate product as the Act defines it (section 581(8)), as values. */
export const ILLEGITIMATE_REASONS = [
  'counterfeit',
  'diverted',
  'stolen',
  'intentionally_adulterated',
  'unfit_for_distribution',
  'fraudulent_transaction',
] as const;
export type IllegitimateReason = (typeof ILLEGITIMATE_REASONS)[number];

/** Why a product is suspect: the same categories (a reason to believe it may be one) or a failed check. */
export const SUSPECT_REASONS = [...ILLEGITIMATE_REASONS, 'verification_failure', 'other'] as const;
export type SuspectReason = (typeof SUSPECT_REASONS)[number];

export const CASE_SOURCES = [
  'internal',
  'trading_partner',
  'fda',
  'manufacturer',
  'verification',
  'exception',
] as const;

export const CLOSE_DISPOSITIONS = [
  'released',
  'destroyed',
  'returned_to_manufacturer',
  'retained_as_sample',
  'transferred_to_fda',
] as const;

export type ClockName =
  | 'investigation_start'
  | 'fda_notification'
  | 'partner_notification'
  | 'high_risk_notification';

export interface CaseClock {
  name: ClockName;
  basis: 'statute' | 'policy';
  startedAt: string;
  dueAt: string;
  metAt?: string;
  state: 'running' | 'overdue' | 'met' | 'met_late';
  /** Milliseconds left (negative: overdue), while not met. */
  remainingMs?: number;
}

export interface CaseView extends SuspectCase {
  clocks: CaseClock[];
  overdue: boolean;
}

export class CaseError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

export interface OpenCaseInput {
  /** Packs (SGTIN, any GS1 form); each must be known to the pack state. */
  packs: string[];
  reason: SuspectReason;
  description?: string;
  by: string;
  source?: (typeof CASE_SOURCES)[number];
  /** GLN of the partner that notified us, when source is a partner. */
  reportedBy?: string;
  /** The case follows a notice of high risk of illegitimacy (manufacturers: FDA within 24 h). */
  highRisk?: boolean;
  /** Where the packs are held (bizLocation of the quarantine event). */
  location?: string;
}

export interface SuspectProductOptions {
  /** Hours for the investigation_start policy clock (default 24). */
  investigationHours?: number;
  now?: () => Date;
  /** Our own party GLN (the reporter of 3911 data, excluded from partner notices). */
  selfGln?: string;
}

const H = 3_600_000;
const plus = (t: string, hours: number) => new Date(Date.parse(t) + hours * H).toISOString();

function stepOf(c: SuspectCase, step: string): CaseStep | undefined {
  return c.steps.find((s) => s.step === step);
}

/** The clocks of a case at `now`. */
export function clocksOf(c: SuspectCase, now: Date, investigationHours = 24): CaseClock[] {
  const out: CaseClock[] = [];
  const clock = (name: ClockName, basis: CaseClock['basis'], start: string, hours: number, met?: string) => {
    const dueAt = plus(start, hours);
    const k: CaseClock = { name, basis, startedAt: start, dueAt, state: 'running' };
    if (met) {
      k.metAt = met;
      k.state = met <= dueAt ? 'met' : 'met_late';
    } else {
      k.remainingMs = Date.parse(dueAt) - now.getTime();
      if (k.remainingMs < 0) k.state = 'overdue';
    }
    out.push(k);
  };
  const q = stepOf(c, 'quarantine');
  if (q) clock('investigation_start', 'policy', q.at, investigationHours, stepOf(c, 'investigation')?.at);
  if (c.body.highRisk === true)
    clock('high_risk_notification', 'statute', c.createdAt, 24, stepOf(c, 'fda_notified')?.at);
  const ill = stepOf(c, 'illegitimate');
  if (ill) {
    clock('fda_notification', 'statute', ill.at, 24, stepOf(c, 'fda_notified')?.at);
    clock('partner_notification', 'statute', ill.at, 24, stepOf(c, 'partners_notified')?.at);
  }
  return out;
}

function need(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.trim() === '')
    throw new CaseError(400, 'Invalid case request', `${what} is required`);
  return v.trim();
}

export class SuspectProductService {
  private readonly now: () => Date;
  readonly investigationHours: number;

  constructor(
    private readonly store: RxtraceStore,
    private readonly capture: CaptureService,
    private readonly opts: SuspectProductOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.investigationHours = opts.investigationHours ?? 24;
  }

  view(c: SuspectCase): CaseView {
    const clocks = clocksOf(c, this.now(), this.investigationHours);
    return { ...c, clocks, overdue: clocks.some((k) => k.state === 'overdue') };
  }

  private async captureObserve(
    packs: string[],
    disposition: string,
    bizStep: string,
    extra: Record<string, unknown>,
    at: string,
  ): Promise<string> {
    const eventID = `urn:uuid:${randomUUID()}`;
    const doc = JSON.stringify({
      '@context': [
        'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
        { rx: 'https://rxtrace.org/epcis/ext/' },
      ],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: at,
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventID,
            eventTime: at,
            eventTimeZoneOffset: '+00:00',
            epcList: packs,
            action: 'OBSERVE',
            bizStep,
            disposition,
            ...extra,
          },
        ],
      },
    });
    const body = (async function* () {
      yield Buffer.from(doc, 'utf8');
    })();
    const o = await this.capture.capture({ body, contentType: 'application/ld+json' });
    if (o.rejected) throw new CaseError(400, 'Event refused', o.rejected.detail ?? o.rejected.title);
    return eventID;
  }

  async open(input: OpenCaseInput): Promise<CaseView> {
    const by = need(input.by, 'by (who opens the case)');
    if (!SUSPECT_REASONS.includes(input.reason))
      throw new CaseError(400, 'Invalid case request', `reason must be one of ${SUSPECT_REASONS.join(', ')}`);
    if (input.source !== undefined && !CASE_SOURCES.includes(input.source))
      throw new CaseError(400, 'Invalid case request', `source must be one of ${CASE_SOURCES.join(', ')}`);
    if (!Array.isArray(input.packs) || input.packs.length === 0)
      throw new CaseError(400, 'Invalid case request', 'packs: at least one pack is required');
    if (input.packs.length > 10_000)
      throw new CaseError(400, 'Invalid case request', 'packs: at most 10000 per case');
    const ids: string[] = [];
    for (const p of input.packs) {
      try {
        const parsed = parseTraceId(String(p));
        ids.push(parsed.id);
      } catch (e) {
        if (e instanceof TraceIdError)
          throw new CaseError(400, 'Invalid case request', `packs: ${e.message}`);
        throw e;
      }
    }
    const unique = [...new Set(ids)];
    const states = await this.store.packs.get(unique);
    const known = new Set(states.map((s) => s.id));
    const unknown = unique.filter((id) => !known.has(id));
    if (unknown.length)
      throw new CaseError(
        400,
        'Invalid case request',
        `packs unknown to the pack state (never commissioned here): ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`,
      );
    if (input.reportedBy !== undefined && !/^\d{13}$/.test(input.reportedBy))
      throw new CaseError(400, 'Invalid case request', 'reportedBy must be a 13-digit GLN');
    const id = `urn:uuid:${randomUUID()}`;
    const at = this.now().toISOString();
    const product = productCache(this.store);
    const lines = new Map<
      string,
      {
        gtin: string;
        ndc?: string;
        name?: string;
        strength?: string;
        dosageForm?: string;
        lot?: string;
        expiry?: string;
        serials: string[];
      }
    >();
    for (const s of states) {
      const gtin = s.gtin ?? SGTIN_RE.exec(s.id)?.[1] ?? '';
      const k = `${gtin}\u0000${s.lot ?? ''}`;
      let l = lines.get(k);
      if (!l) {
        const p = gtin ? await product(gtin) : undefined;
        l = {
          gtin,
          ...(p?.ndc ? { ndc: p.ndc } : {}),
          ...(p?.name ? { name: p.name } : {}),
          ...(p?.strength ? { strength: p.strength } : {}),
          ...(p?.dosageForm ? { dosageForm: p.dosageForm } : {}),
          ...(s.lot ? { lot: s.lot } : {}),
          ...(s.expiry ? { expiry: s.expiry } : {}),
          serials: [],
        };
        lines.set(k, l);
      }
      l.serials.push(s.id);
    }
    for (const l of lines.values()) l.serials.sort();
    const eventId = await this.captureObserve(
      unique,
      'non_sellable_other',
      'holding',
      {
        ...(input.location ? { bizLocation: { id: input.location } } : {}),
        'rx:reason': `suspect product: ${input.reason}`,
        'rx:case': id,
        'rx:user': by,
      },
      at,
    );
    const c: SuspectCase = {
      id,
      status: 'quarantined',
      version: 1,
      createdAt: at,
      updatedAt: at,
      body: {
        reason: input.reason,
        ...(input.description ? { description: input.description } : {}),
        source: input.source ?? 'internal',
        ...(input.reportedBy ? { reportedBy: input.reportedBy } : {}),
        highRisk: input.highRisk === true,
        ...(input.location ? { location: input.location } : {}),
        packs: unique,
        products: [...lines.values()],
      },
      steps: [{ step: 'quarantine', at, by, data: { eventId, packs: unique.length } }],
    };
    await this.store.dscsa.createCase(c);
    return this.view(c);
  }

  async get(id: string): Promise<CaseView> {
    const c = await this.store.dscsa.getCase(id);
    if (!c) throw new CaseError(404, 'Case not found', `no case '${id}'`);
    return this.view(c);
  }

  private async advance(
    id: string,
    from: CaseStatus[],
    action: string,
    f: (
      c: SuspectCase,
      at: string,
    ) => Promise<{ status?: CaseStatus; step: CaseStep; body?: Record<string, unknown> }>,
  ): Promise<CaseView> {
    const c = await this.store.dscsa.getCase(id);
    if (!c) throw new CaseError(404, 'Case not found', `no case '${id}'`);
    if (!from.includes(c.status))
      throw new CaseError(
        409,
        'Step not allowed',
        `cannot ${action} a case that is ${c.status} (allowed from: ${from.join(', ')})`,
      );
    const at = this.now().toISOString();
    const r = await f(c, at);
    const next: SuspectCase = {
      ...c,
      status: r.status ?? c.status,
      version: c.version + 1,
      updatedAt: at,
      body: { ...c.body, ...r.body },
      steps: [...c.steps, r.step],
    };
    if (!(await this.store.dscsa.updateCase(next)))
      throw new CaseError(
        409,
        'Concurrent change',
        `case '${id}' was changed meanwhile; read it again and retry`,
      );
    return this.view(next);
  }

  async investigate(id: string, i: { by: string; note?: string }): Promise<CaseView> {
    const by = need(i.by, 'by');
    return this.advance(id, ['quarantined'], 'start the investigation of', async (_c, at) => ({
      status: 'investigating',
      step: { step: 'investigation', at, by, ...(i.note ? { note: i.note } : {}) },
    }));
  }

  /** Cleared: the product is not illegitimate; its packs are released from quarantine. */
  async clear(
    id: string,
    i: { by: string; note?: string; verification?: Record<string, unknown> },
  ): Promise<CaseView> {
    const by = need(i.by, 'by');
    return this.advance(id, ['investigating'], 'clear', async (c, at) => {
      const eventId = await this.captureObserve(
        c.body.packs as string[],
        'active',
        'holding',
        { 'rx:reason': 'released: suspect product cleared', 'rx:case': c.id, 'rx:user': by },
        at,
      );
      return {
        status: 'cleared',
        step: {
          step: 'cleared',
          at,
          by,
          ...(i.note ? { note: i.note } : {}),
          data: { eventId, ...(i.verification ? { verification: i.verification } : {}) },
        },
        body: { determination: { result: 'cleared', at, by } },
      };
    });
  }

  /** Illegitimate: starts the 24-hour notification clocks; the packs stay quarantined. */
  async illegitimate(
    id: string,
    i: { by: string; reason: IllegitimateReason; note?: string },
  ): Promise<CaseView> {
    const by = need(i.by, 'by');
    if (!ILLEGITIMATE_REASONS.includes(i.reason))
      throw new CaseError(
        400,
        'Invalid case request',
        `reason must be one of ${ILLEGITIMATE_REASONS.join(', ')}`,
      );
    return this.advance(id, ['investigating'], 'determine illegitimate', async (_c, at) => ({
      status: 'illegitimate',
      step: { step: 'illegitimate', at, by, ...(i.note ? { note: i.note } : {}), data: { reason: i.reason } },
      body: { determination: { result: 'illegitimate', reason: i.reason, at, by } },
    }));
  }

  /** FDA notified (Form 3911 submitted). Also allowed on an open high-risk case. */
  async notifyFda(id: string, i: { by: string; incidentNumber?: string; note?: string }): Promise<CaseView> {
    const by = need(i.by, 'by');
    const c = await this.get(id);
    const from: CaseStatus[] =
      c.body.highRisk === true ? ['quarantined', 'investigating', 'illegitimate'] : ['illegitimate'];
    if (stepOf(c, 'fda_notified'))
      throw new CaseError(409, 'Step not allowed', 'FDA notification already recorded');
    return this.advance(id, from, 'record the FDA notification of', async (_c, at) => ({
      step: {
        step: 'fda_notified',
        at,
        by,
        ...(i.note ? { note: i.note } : {}),
        data: { ...(i.incidentNumber ? { incidentNumber: i.incidentNumber } : {}) },
      },
    }));
  }

  /** Trading partners notified (GLNs). */
  async notifyPartners(id: string, i: { by: string; partners: string[]; note?: string }): Promise<CaseView> {
    const by = need(i.by, 'by');
    if (
      !Array.isArray(i.partners) ||
      i.partners.length === 0 ||
      i.partners.some((g) => !/^\d{13}$/.test(String(g)))
    )
      throw new CaseError(400, 'Invalid case request', 'partners: one or more 13-digit GLNs are required');
    const c = await this.get(id);
    if (stepOf(c, 'partners_notified'))
      throw new CaseError(409, 'Step not allowed', 'partner notification already recorded');
    return this.advance(id, ['illegitimate'], 'record the partner notification of', async (_c, at) => ({
      step: {
        step: 'partners_notified',
        at,
        by,
        ...(i.note ? { note: i.note } : {}),
        data: { partners: i.partners },
      },
    }));
  }

  /** Closes a cleared case, or an illegitimate one after both notifications and consultation with FDA. */
  async close(
    id: string,
    i: {
      by: string;
      disposition?: (typeof CLOSE_DISPOSITIONS)[number];
      fdaConsulted?: boolean;
      note?: string;
    },
  ): Promise<CaseView> {
    const by = need(i.by, 'by');
    if (i.disposition !== undefined && !CLOSE_DISPOSITIONS.includes(i.disposition))
      throw new CaseError(
        400,
        'Invalid case request',
        `disposition must be one of ${CLOSE_DISPOSITIONS.join(', ')}`,
      );
    const c = await this.get(id);
    if (c.status === 'illegitimate') {
      const missing = ['fda_notified', 'partners_notified'].filter((s) => !stepOf(c, s));
      if (missing.length)
        throw new CaseError(
          409,
          'Step not allowed',
          `cannot close an illegitimate-product case before ${missing.join(' and ')}`,
        );
      if (i.fdaConsulted !== true)
        throw new CaseError(
          409,
          'Step not allowed',
          'terminating an illegitimate-product notification requires consultation with FDA (fdaConsulted: true)',
        );
      if (!i.disposition)
        throw new CaseError(
          400,
          'Invalid case request',
          'disposition of the illegitimate product is required',
        );
    }
    return this.advance(id, ['cleared', 'illegitimate'], 'close', async (_c, at) => ({
      status: 'closed',
      step: {
        step: 'closed',
        at,
        by,
        ...(i.note ? { note: i.note } : {}),
        data: {
          ...(i.disposition ? { disposition: i.disposition } : {}),
          ...(i.fdaConsulted ? { fdaConsulted: true } : {}),
        },
      },
    }));
  }

  async list(
    filter: { status?: CaseStatus },
    opts: { limit: number; after?: string },
  ): Promise<{ items: CaseView[]; next?: string }> {
    const p = await this.store.dscsa.listCases(filter, opts);
    return { ...p, items: p.items.map((c) => this.view(c)) };
  }

  /** Open cases with a clock past due (every open case is read). */
  async overdue(): Promise<CaseView[]> {
    const out: CaseView[] = [];
    for (const status of ['quarantined', 'investigating', 'illegitimate', 'cleared'] as CaseStatus[]) {
      let after: string | undefined;
      do {
        const p = await this.store.dscsa.listCases({ status }, { limit: 500, ...(after ? { after } : {}) });
        for (const c of p.items) {
          const v = this.view(c);
          if (v.overdue) out.push(v);
        }
        after = p.next;
      } while (after);
    }
    return out;
  }

  /** The trading partners to notify: every other party of the packs' transaction histories. */
  async partnersToNotify(c: SuspectCase): Promise<{ gln: string; name?: string; relation: string[] }[]> {
    const self = this.opts.selfGln;
    const found = new Map<string, { gln: string; name?: string; relation: Set<string> }>();
    for (const id of (c.body.packs as string[]).slice(0, 1000)) {
      const h = await transactionHistory(this.store, id);
      for (const t of h?.transactions ?? [])
        for (const [p, rel] of [
          [t.from, 'supplied to us / sold'],
          [t.to, 'received from us / bought'],
        ] as const) {
          const gln = glnOf(p?.id);
          if (!gln || gln === self) continue;
          let e = found.get(gln);
          if (!e) found.set(gln, (e = { gln, ...(p?.name ? { name: p.name } : {}), relation: new Set() }));
          e.relation.add(rel);
        }
    }
    return [...found.values()].map((e) => ({ ...e, relation: [...e.relation] }));
  }

  /** The data of an FDA Form 3911 notification, filled from the case, its products and the parties. */
  async form3911(
    id: string,
    contact: { name?: string; phone?: string; email?: string } = {},
  ): Promise<Form3911> {
    const c = await this.get(id);
    const ill = stepOf(c, 'illegitimate');
    if (!ill && c.body.highRisk !== true)
      throw new CaseError(
        409,
        'Step not allowed',
        'FDA 3911 data exists for illegitimate product or product with a high risk of illegitimacy only',
      );
    const self = this.opts.selfGln ? await this.store.registry.getPartner(this.opts.selfGln) : undefined;
    const products = c.body.products as Form3911['product'][number][];
    const closed = stepOf(c, 'closed');
    const fda = stepOf(c, 'fda_notified');
    return {
      form: 'FDA 3911',
      caseId: c.id,
      notificationType: closed && ill ? 'request_for_termination' : fda ? 'follow_up' : 'initial',
      ...(fda
        ? {
            fdaIncidentNumber: (fda.data?.incidentNumber as string | undefined) ?? undefined,
            dateOfInitialNotification: fda.at.slice(0, 10),
          }
        : {}),
      notificationFor: ill ? 'illegitimate_product' : 'high_risk_of_illegitimacy',
      classification: (ill?.data?.reason as string | undefined) ?? (c.body.reason as string),
      dateOfDetermination: (ill?.at ?? c.createdAt).slice(0, 10),
      description:
        [c.body.description, ill?.note].filter(Boolean).join(' — ') ||
        `Suspect product case opened for ${c.body.reason as string}`,
      howDiscovered: c.body.source as string,
      product: products.map((p) => ({
        ...p,
        quantity: p.serials.length,
        serials: p.serials.map((s) => {
          const m = SGTIN_RE.exec(s);
          return m ? decodeURIComponent(m[2]!) : s;
        }),
      })),
      productInUnitedStates: true,
      reporter: {
        ...(this.opts.selfGln ? { gln: this.opts.selfGln } : {}),
        ...(self?.name ? { companyName: self.name } : {}),
        ...(self?.roles?.length ? { category: self.roles[0] } : {}),
        ...(self?.licence ? { licence: `${self.licence.number} (${self.licence.authority})` } : {}),
        contactName: contact.name ?? ill?.by ?? c.steps[0]!.by,
        ...(contact.phone ? { phone: contact.phone } : {}),
        ...(contact.email ? { email: contact.email } : {}),
      },
      tradingPartners: await this.partnersToNotify(c),
      generatedAt: this.now().toISOString(),
    };
  }

  /** The notices to trading partners (one per partner). */
  async notices(id: string): Promise<PartnerNotice[]> {
    const c = await this.get(id);
    const ill = stepOf(c, 'illegitimate');
    const cleared = stepOf(c, 'cleared');
    if (!ill && !cleared)
      throw new CaseError(
        409,
        'Step not allowed',
        'notices are produced once the case is determined illegitimate or cleared',
      );
    const self = this.opts.selfGln ? await this.store.registry.getPartner(this.opts.selfGln) : undefined;
    const products = c.body.products as Form3911['product'][number][];
    const partners = await this.partnersToNotify(c);
    return partners.map((p) => ({
      caseId: c.id,
      to: p,
      from: {
        ...(this.opts.selfGln ? { gln: this.opts.selfGln } : {}),
        ...(self?.name ? { name: self.name } : {}),
      },
      kind: ill ? 'illegitimate_product' : 'cleared',
      subject: ill
        ? `Illegitimate product notification (${ill.data?.reason as string}) — case ${c.id}`
        : `Suspect product cleared — case ${c.id}`,
      determinedAt: (ill ?? cleared)!.at,
      ...(ill ? { classification: ill.data?.reason as string } : {}),
      products: products.map((x) => ({
        gtin: x.gtin,
        ndc: x.ndc,
        name: x.name,
        lot: x.lot,
        expiry: x.expiry,
        quantity: x.serials.length,
      })),
      text: ill
        ? `We have determined that the product listed below, which is in your supply chain or was received from you, is illegitimate (${ill.data?.reason as string}). FDA has been or is being notified on Form FDA 3911. Identify and quarantine any of this product in your possession or control, do not distribute it, and contact us before disposition.`
        : 'The product listed below, about which a suspect product notification was issued, has been investigated and cleared. No further action is required; it may be distributed.',
      generatedAt: this.now().toISOString(),
    }));
  }
}

export interface Form3911 {
  form: 'FDA 3911';
  caseId: string;
  notificationType: 'initial' | 'follow_up' | 'request_for_termination';
  fdaIncidentNumber?: string;
  dateOfInitialNotification?: string;
  notificationFor: 'illegitimate_product' | 'high_risk_of_illegitimacy';
  classification: string;
  dateOfDetermination: string;
  description: string;
  howDiscovered: string;
  product: {
    gtin: string;
    ndc?: string;
    name?: string;
    strength?: string;
    dosageForm?: string;
    lot?: string;
    expiry?: string;
    quantity: number;
    serials: string[];
  }[];
  productInUnitedStates: boolean;
  reporter: {
    gln?: string;
    companyName?: string;
    category?: string;
    licence?: string;
    contactName: string;
    phone?: string;
    email?: string;
  };
  tradingPartners: { gln: string; name?: string; relation: string[] }[];
  generatedAt: string;
}

export interface PartnerNotice {
  caseId: string;
  to: { gln: string; name?: string; relation: string[] };
  from: { gln?: string; name?: string };
  kind: 'illegitimate_product' | 'cleared';
  subject: string;
  determinedAt: string;
  classification?: string;
  products: { gtin: string; ndc?: string; name?: string; lot?: string; expiry?: string; quantity: number }[];
  text: string;
  generatedAt: string;
}

export function form3911Pdf(f: Form3911): Uint8Array {
  const L: TextLine[] = [
    { text: `Case ${f.caseId}` },
    {
      text: `Type of notification: ${f.notificationType.replace(/_/g, ' ')}${f.fdaIncidentNumber ? `   FDA incident number: ${f.fdaIncidentNumber}` : ''}`,
    },
    { text: `Notification for: ${f.notificationFor.replace(/_/g, ' ')}` },
    { text: `Classification: ${f.classification.replace(/_/g, ' ')}` },
    { text: `Date of determination: ${f.dateOfDetermination}` },
    { text: `Product in the United States: ${f.productInUnitedStates ? 'yes' : 'no'}` },
    { text: 'Product', heading: true },
  ];
  for (const p of f.product) {
    L.push({
      text: `${p.name ?? '(unknown product)'}${p.strength ? ` ${p.strength}` : ''}${p.dosageForm ? `, ${p.dosageForm}` : ''}`,
      bold: true,
    });
    L.push({
      text: `  NDC ${p.ndc ?? '-'}  GTIN ${p.gtin}  Lot ${p.lot ?? '-'}  Expiry ${p.expiry ?? '-'}  Quantity ${p.quantity}`,
    });
    L.push({ text: `  Serial numbers: ${p.serials.join(', ')}` });
  }
  L.push(
    { text: 'Description', heading: true },
    { text: f.description },
    { text: `How discovered: ${f.howDiscovered}` },
  );
  L.push({ text: 'Reporter', heading: true });
  const r = f.reporter;
  L.push({
    text: `${r.companyName ?? '(company)'}${r.gln ? `  GLN ${r.gln}` : ''}${r.category ? `  (${r.category})` : ''}`,
  });
  if (r.licence) L.push({ text: `Licence ${r.licence}` });
  L.push({
    text: `Contact: ${r.contactName}${r.phone ? `, ${r.phone}` : ''}${r.email ? `, ${r.email}` : ''}`,
  });
  L.push({ text: 'Trading partners concerned', heading: true });
  for (const t of f.tradingPartners)
    L.push({ text: `${t.name ?? '(unnamed)'}  GLN ${t.gln}  (${t.relation.join('; ')})` });
  L.push(
    { text: '' },
    { text: `Generated ${f.generatedAt} by rxtrace. Submit through FDA's MedWatch/3911 portal.` },
  );
  return textPdf('FDA Form 3911 - Drug Notification data', L, new Date(f.generatedAt));
}

export function noticesPdf(notices: PartnerNotice[]): Uint8Array {
  const L: TextLine[] = [];
  for (const n of notices) {
    L.push({ text: n.subject, heading: true });
    L.push(
      { text: `To: ${n.to.name ?? ''} GLN ${n.to.gln}` },
      { text: `From: ${n.from.name ?? ''}${n.from.gln ? ` GLN ${n.from.gln}` : ''}` },
    );
    L.push({ text: `Determined: ${n.determinedAt}` }, { text: n.text });
    for (const p of n.products)
      L.push({
        text: `  ${p.name ?? p.gtin}  NDC ${p.ndc ?? '-'}  Lot ${p.lot ?? '-'}  Expiry ${p.expiry ?? '-'}  Quantity ${p.quantity}`,
      });
  }
  if (!notices.length) L.push({ text: 'No trading partner found in the transaction history of the packs.' });
  return textPdf('Notices to trading partners', L);
}
