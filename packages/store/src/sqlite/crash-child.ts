/**
 * Child process of crash.test.ts: appends units of work to a SQLite store in a loop and prints
 * `ack <unit>` after each append resolved (a pipe write on Linux is synchronous: once printed, the
 * parent has it). The parent SIGKILLs this process at random moments.
 *
 *   node --import tsx crash-child.ts <file> <first unit>
 */
import { sgtin, testEvent } from '../testing/events.ts';
import { openSqliteStore } from './store.ts';

/** Events in unit u (1…120), the same in parent and child. */
export function unitSize(u: number): number {
  let h = Math.imul(u ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  return 1 + ((h >>> 0) % 120);
}

export function unitEvents(u: number) {
  const out = [];
  for (let i = 0; i < unitSize(u); i++) {
    out.push(
      testEvent({
        key: `crash-${u}-${i}`,
        epcList: [sgtin(u * 1000 + i)],
        bizStep: 'commissioning',
        bizTransactions: [{ type: 'po', value: `urn:x:po:${u}` }],
      }),
    );
  }
  return out;
}

if (process.argv[1]?.endsWith('crash-child.ts')) {
  const [file, first] = process.argv.slice(2);
  const store = await openSqliteStore({ file: file! });
  await store.migrate();
  process.stdout.write('ready\n');
  for (let u = Number(first); ; u++) {
    const events = unitEvents(u);
    const now = new Date().toISOString();
    await store.append({
      captureId: `unit-${u}`,
      events,
      masterData: [
        {
          type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
          id: `urn:x:loc:${u}`,
          children: [`urn:x:loc:${u}:a`],
        },
      ],
      job: {
        captureId: `unit-${u}`,
        createdAt: now,
        finishedAt: now,
        running: false,
        success: true,
        captureErrorBehaviour: 'rollback',
        eventCount: 0,
        errors: [],
      },
    });
    process.stdout.write(`ack ${u}\n`);
  }
}
