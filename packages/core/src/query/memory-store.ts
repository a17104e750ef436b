/**
 * An in-memory `Store` for the query tests (and for trying the query layer without a database):
 * events, the EventFilter as the Store interface documents it, keyset pagination on
 * (order key, seq), master data with descendants, named queries. Not for production: everything
 * is kept in arrays and every query scans them.
 */
import type {
  ApiKeyRecord,
  AppendResult,
  CaptureJob,
  EventFilter,
  EventPage,
  MasterDataElement,
  NamedQuery,
  NewEvent,
  QueryOptions,
  Store,
  StoredEvent,
  Subscription,
  UnitOfWork,
} from '@rxtrace/store';

interface Row extends StoredEvent {
  ne: NewEvent;
}

function inRange(v: string | undefined, r: { ge?: string; lt?: string } | undefined): boolean {
  if (!r) return true;
  if (v === undefined) return false;
  if (r.ge !== undefined && v < r.ge) return false;
  if (r.lt !== undefined && v >= r.lt) return false;
  return true;
}

function matches(r: Row, f: EventFilter): boolean {
  const e = r.event;
  if (f.eventTypes && !f.eventTypes.includes(r.eventType)) return false;
  if (!inRange(r.eventTime, f.eventTime) || !inRange(r.recordTime, f.recordTime)) return false;
  if (f.actions && (e.action === undefined || !f.actions.includes(e.action))) return false;
  if (f.bizSteps && (e.bizStep === undefined || !f.bizSteps.includes(e.bizStep))) return false;
  if (f.dispositions && (e.disposition === undefined || !f.dispositions.includes(e.disposition)))
    return false;
  if (f.readPoints && (e.readPoint === undefined || !f.readPoints.includes(e.readPoint.id))) return false;
  if (f.bizLocations && (e.bizLocation === undefined || !f.bizLocations.includes(e.bizLocation.id)))
    return false;
  if (f.eventIds && !f.eventIds.includes(r.eventId)) return false;
  for (const m of f.identifiers ?? [])
    if (
      !r.ne.identifiers.some(
        (i) =>
          m.roles.includes(i.role) &&
          ((m.values ?? []).includes(i.id) || (m.prefixes ?? []).some((p) => i.id.startsWith(p))),
      )
    )
      return false;
  for (const m of f.references ?? [])
    if (!r.ne.references.some((x) => x.kind === m.kind && x.type === m.type && m.values.includes(x.value)))
      return false;
  const ed = f.errorDeclaration;
  if (ed) {
    const d = r.ne.errorDeclaration;
    if (ed.exists && !d) return false;
    if (ed.declarationTime && !inRange(d?.declarationTime, ed.declarationTime)) return false;
    if (ed.reasons && (d?.reason === undefined || !ed.reasons.includes(d.reason))) return false;
    if (
      ed.correctiveEventIds &&
      !(d?.correctiveEventIds ?? []).some((x) => ed.correctiveEventIds!.includes(x))
    )
      return false;
  }
  if (f.includeErrorDeclarations === false && r.isErrorDeclaration) return false;
  if (f.seq?.gt !== undefined && r.seq <= f.seq.gt) return false;
  if (f.seq?.le !== undefined && r.seq > f.seq.le) return false;
  return true;
}

const keyOf = (r: StoredEvent, by: string): string | number =>
  by === 'eventTime' ? r.eventTime : by === 'recordTime' ? r.recordTime : r.seq;

export class MemoryStore implements Store {
  readonly dialect = 'memory';
  rows: Row[] = [];
  private seq = 0;
  private md = new Map<string, MasterDataElement>();
  private queries = new Map<string, NamedQuery>();
  private subs = new Map<string, Subscription>();
  private jobs = new Map<string, CaptureJob>();
  private keys = new Map<string, ApiKeyRecord>();
  /** Counts queryEvents calls (tests look at how many store pages a query needed). */
  queryCalls = 0;

  async migrate(): Promise<void> {}
  async close(): Promise<void> {}

  async append(uow: UnitOfWork): Promise<AppendResult> {
    const res: AppendResult = { stored: [], duplicates: [] };
    for (let index = 0; index < uow.events.length; index++) {
      const ne = uow.events[index]!;
      const isDecl = ne.errorDeclaration !== undefined;
      if (this.rows.some((r) => r.hashId === ne.hashId && r.isErrorDeclaration === isDecl)) {
        res.duplicates.push({ eventId: ne.eventId, hashId: ne.hashId });
        continue;
      }
      const seq = ++this.seq;
      const corrected = isDecl
        ? false
        : this.rows.some((r) => r.isErrorDeclaration && r.eventId === ne.eventId);
      if (isDecl)
        for (const r of this.rows) if (r.eventId === ne.eventId && !r.isErrorDeclaration) r.corrected = true;
      this.rows.push({
        seq,
        eventId: ne.eventId,
        hashId: ne.hashId,
        eventType: ne.event.type,
        eventTime: ne.eventTime,
        recordTime: ne.recordTime,
        captureId: uow.captureId,
        event: ne.event,
        corrected,
        isErrorDeclaration: isDecl,
        ne,
      });
      res.stored.push({ eventId: ne.eventId, seq, index });
    }
    if (uow.masterData) await this.putMasterData(uow.masterData);
    if (uow.job) this.jobs.set(uow.job.captureId, uow.job);
    return res;
  }
  async putCaptureJob(job: CaptureJob): Promise<void> {
    this.jobs.set(job.captureId, job);
  }
  async getCaptureJob(id: string): Promise<CaptureJob | undefined> {
    return this.jobs.get(id);
  }
  async listCaptureJobs(): Promise<{ jobs: CaptureJob[] }> {
    return { jobs: [...this.jobs.values()] };
  }

  async queryEvents(filter: EventFilter, opts: QueryOptions): Promise<EventPage> {
    this.queryCalls++;
    const by = opts.orderBy ?? 'seq';
    const sign = (opts.direction ?? 'ASC') === 'ASC' ? 1 : -1;
    const cmp = (a: StoredEvent, b: StoredEvent): number => {
      const ka = keyOf(a, by);
      const kb = keyOf(b, by);
      if (ka !== kb) return sign * (ka < kb ? -1 : 1);
      return sign * (a.seq - b.seq);
    };
    let list = this.rows.filter((r) => matches(r, filter)).sort(cmp);
    if (opts.after) {
      const c = JSON.parse(Buffer.from(opts.after, 'base64url').toString()) as {
        k: string | number;
        s: number;
        by: string;
        d: number;
      };
      if (c.by !== by || c.d !== sign) {
        const err = new Error('invalid page cursor');
        err.name = 'InvalidCursorError';
        throw err;
      }
      const pos = { seq: c.s, eventTime: String(c.k), recordTime: String(c.k) } as StoredEvent;
      list = list.filter((r) => cmp(r, pos) > 0);
    }
    const page = list.slice(0, opts.limit);
    const strip = (r: Row): StoredEvent => {
      const { ne: _ne, ...s } = r;
      return s;
    };
    const last = page[page.length - 1];
    return {
      events: page.map(strip),
      ...(list.length > opts.limit && last
        ? {
            next: Buffer.from(JSON.stringify({ k: keyOf(last, by), s: last.seq, by, d: sign })).toString(
              'base64url',
            ),
          }
        : {}),
    };
  }
  async getEventsById(eventId: string): Promise<StoredEvent[]> {
    return this.rows.filter((r) => r.eventId === eventId).map(({ ne: _n, ...s }) => s);
  }
  async distinctValues(
    field: 'eventType' | 'bizStep' | 'disposition' | 'readPoint' | 'bizLocation' | 'epc',
    opts: { limit: number; after?: string },
  ): Promise<{ values: string[]; next?: string }> {
    const set = new Set<string>();
    for (const r of this.rows) {
      const e = r.event;
      if (field === 'eventType') set.add(r.eventType);
      else if (field === 'bizStep' && e.bizStep) set.add(e.bizStep);
      else if (field === 'disposition' && e.disposition) set.add(e.disposition);
      else if (field === 'readPoint' && e.readPoint) set.add(e.readPoint.id);
      else if (field === 'bizLocation' && e.bizLocation) set.add(e.bizLocation.id);
      else if (field === 'epc')
        for (const i of r.ne.identifiers)
          if (['epc', 'parent', 'child', 'input', 'output'].includes(i.role)) set.add(i.id);
    }
    const all = [...set].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const start = opts.after
      ? all.findIndex((v) => Buffer.compare(Buffer.from(v), Buffer.from(opts.after!)) > 0)
      : 0;
    const from = start < 0 ? all.length : start;
    const values = all.slice(from, from + opts.limit);
    return { values, ...(from + opts.limit < all.length ? { next: values[values.length - 1]! } : {}) };
  }
  async lastSeq(): Promise<number> {
    return this.seq;
  }
  async countEvents(): Promise<number> {
    return this.rows.length;
  }

  async putMasterData(elements: MasterDataElement[]): Promise<void> {
    for (const el of elements) this.md.set(`${el.type}\n${el.id}`, el);
  }
  async getMasterData(type?: string, ids?: string[]): Promise<MasterDataElement[]> {
    return [...this.md.values()].filter(
      (el) => (type === undefined || el.type === type) && (ids === undefined || ids.includes(el.id)),
    );
  }
  async descendants(ids: string[]): Promise<string[]> {
    const out = new Set<string>(ids);
    const queue = [...ids];
    while (queue.length) {
      const id = queue.shift()!;
      for (const el of this.md.values())
        if (el.id === id)
          for (const c of el.children ?? [])
            if (!out.has(c)) {
              out.add(c);
              queue.push(c);
            }
    }
    return [...out];
  }

  async putNamedQuery(q: NamedQuery): Promise<boolean> {
    if (this.queries.has(q.name)) return false;
    this.queries.set(q.name, q);
    return true;
  }
  async getNamedQuery(name: string): Promise<NamedQuery | undefined> {
    return this.queries.get(name);
  }
  async listNamedQueries(): Promise<NamedQuery[]> {
    return [...this.queries.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  async deleteNamedQuery(name: string): Promise<boolean> {
    for (const [id, s] of this.subs) if (s.queryName === name) this.subs.delete(id);
    return this.queries.delete(name);
  }
  async putSubscription(s: Subscription): Promise<void> {
    this.subs.set(s.subscriptionId, s);
  }
  async listSubscriptions(queryName?: string): Promise<Subscription[]> {
    return [...this.subs.values()].filter((s) => queryName === undefined || s.queryName === queryName);
  }
  async deleteSubscription(id: string): Promise<boolean> {
    return this.subs.delete(id);
  }
  async ackSubscription(id: string, seq: number, notifiedAt: string): Promise<void> {
    const s = this.subs.get(id);
    if (s)
      this.subs.set(id, { ...s, lastAckedSeq: Math.max(s.lastAckedSeq, seq), lastNotifiedAt: notifiedAt });
  }
  async putApiKey(k: ApiKeyRecord): Promise<void> {
    this.keys.set(k.keyId, k);
  }
  async findApiKey(keyId: string): Promise<ApiKeyRecord | undefined> {
    return this.keys.get(keyId);
  }
  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return [...this.keys.values()];
  }
}
