/**
 * The exchange log's writer thread (SQLite). A verification answer waits until its log entry is
 * durable; better-sqlite3 is synchronous, so a commit on the server's thread would stop the event
 * loop for the whole fsync and the next requests could not even be read — batches would stay
 * small and each would cost a full fsync of the server's time. This thread holds its own
 * connection to the same file (WAL: readers never wait; writers take turns through the lock,
 * busy_timeout) and commits each batch while the server goes on answering and collecting the next
 * one. The thread starts on the first write and ends after a second without work.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 10000');
db.pragma('synchronous = FULL');
const ins = db.prepare('INSERT INTO verification_log (at, direction, gtin, serial, req_gln, corr_uuid, body) VALUES (?, ?, ?, ?, ?, ?, ?)');
const write = db.transaction((rows) => { for (const r of rows) ins.run(r); });
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  try { write.immediate(m.rows); parentPort.postMessage({ id: m.id }); }
  catch (e) { parentPort.postMessage({ id: m.id, error: String(e && e.message || e) }); }
});
`;

export type LogRow = [string, string, string | null, string | null, string | null, string | null, string];

export class LogWriterThread {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<number, { done: () => void; fail: (e: Error) => void }>();
  private idle: NodeJS.Timeout | undefined;

  constructor(private readonly file: string) {}

  write(rows: LogRow[]): Promise<void> {
    const w = this.start();
    const id = this.next++;
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    return new Promise<void>((done, fail) => {
      this.pending.set(id, { done, fail });
      w.ref();
      w.postMessage({ id, rows });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER, { eval: true, workerData: { file: this.file, driver } });
    w.on('message', (m: { id: number; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (p) m.error ? p.fail(new Error(`verification log: ${m.error}`)) : p.done();
      if (this.pending.size === 0) {
        w.unref();
        this.idle = setTimeout(() => this.stop(), 1000);
        this.idle.unref();
      }
    });
    w.on('error', (e) => {
      for (const p of this.pending.values()) p.fail(e);
      this.pending.clear();
      this.worker = undefined;
    });
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.fail(new Error('verification log: the writer thread stopped'));
      this.pending.clear();
    });
    this.worker = w;
    return w;
  }

  /** Ends the thread once its writes are done (called when idle, and by close). */
  stop(): void {
    const w = this.worker;
    if (!w || this.pending.size) return;
    this.worker = undefined;
    w.postMessage('close');
    w.unref();
  }
}
