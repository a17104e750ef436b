/**
 * `rxtrace serve`: the EPCIS repository over HTTP. SQLite in `--data DIR` (default ./data) or
 * PostgreSQL (`--db postgres://…` / DATABASE_URL). RXTRACE_API_KEY sets an admin key for scripts;
 * on the first start with no key at all, an admin key is created and printed once. SIGTERM /
 * SIGINT: stop accepting, let running capture jobs finish, close the store, exit 0. On start, capture
 * jobs that a killed process left running are marked finished and failed ('interrupted').
 */
import { createApiKey } from '@rxtrace/core';
import { buildServer } from '@rxtrace/server';
import { err, out, parse, UsageError } from '../args.ts';
import { openStore } from './store.ts';

export const SERVE_HELP = `rxtrace serve — run the EPCIS repository (HTTP)

Usage: rxtrace serve [options]

Options:
  --port N                  port (default 8080; 0 = any free port)
  --host H                  address to listen on (default 0.0.0.0)
  --data DIR                SQLite data directory (default ./data; created on first start)
  --db URL                  PostgreSQL instead: postgres://user:pass@host/db (or DATABASE_URL)
  --capture-limit N         events per capture call (GS1-EPCIS-Capture-Limit, default 100000)
  --capture-size-limit N    bytes per capture document (default 268435456)
  --capture-batch N         proceed mode: events per unit of work (default 5000)
  --capture-workers N       threads preparing captured documents while the SQLite store writes
                            them (default: CPU cores less one, at least 1; 0 = none)
  --log-level L             fatal|error|warn|info|debug (default info)

Environment:
  RXTRACE_API_KEY           an admin key accepted besides the stored ones
  DATABASE_URL              as --db

API keys: rxtrace keys create --role capture,query [--label L]
`;

function positiveInt(name: string, v: string | undefined, dflt: number, allowZero = false): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw new UsageError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, not '${v}'`);
  return n;
}

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    db: { type: 'string' },
    'capture-limit': { type: 'string' },
    'capture-size-limit': { type: 'string' },
    'capture-batch': { type: 'string' },
    'capture-workers': { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(SERVE_HELP);
    return 0;
  }
  const port = positiveInt('--port', values.port, 8080, true);
  const host = values.host ?? '0.0.0.0';
  const limits = {
    captureEvents: positiveInt('--capture-limit', values['capture-limit'], 100_000),
    captureBytes: positiveInt('--capture-size-limit', values['capture-size-limit'], 256 * 1024 * 1024),
    captureBatch: positiveInt('--capture-batch', values['capture-batch'], 5_000),
  };
  const { store, where } = await openStore({ data: values.data, db: values.db });
  const envKey = process.env.RXTRACE_API_KEY;
  const app = await buildServer({
    store,
    logger: { level: values['log-level'] ?? 'info' },
    limits,
    apiKeys: envKey ? [{ key: envKey, roles: ['admin'], label: 'RXTRACE_API_KEY' }] : [],
    awaitMigrations: false,
    ...(values['capture-workers'] !== undefined
      ? { captureWorkers: positiveInt('--capture-workers', values['capture-workers'], 1, true) }
      : {}),
  });

  let stopping: Promise<void> | undefined;
  let closedNow!: () => void;
  const closed = new Promise<void>((res) => {
    closedNow = res;
  });
  const stop = (signal: string) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    app.log.info(
      { signal, captureJobsRunning: app.rxtrace.capture.runningCount },
      'shutting down: finishing running capture jobs',
    );
    stopping = app.close().then(
      () => {
        app.log.info('stopped');
        closedNow();
      },
      (e: unknown) => {
        app.log.error({ err: e }, 'shutdown failed');
        closedNow();
      },
    );
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);

  let address: string;
  try {
    address = await app.listen({ port, host });
    await app.rxtrace.migrated;
    // Jobs left running by a process that was killed: finished, failed, 'interrupted'.
    const interrupted = await app.rxtrace.capture.recoverInterrupted();
    if (interrupted.length > 0)
      app.log.warn(
        { count: interrupted.length, captureIDs: interrupted.slice(0, 100) },
        'capture jobs interrupted by the previous stop were marked finished and failed',
      );
  } catch (e) {
    err(`rxtrace serve: ${(e as Error).message}`);
    await app.close().catch(() => {});
    return 1;
  }
  const shown = address.replace('://0.0.0.0:', '://localhost:').replace('://[::]:', '://localhost:');
  out(`rxtrace listening on ${shown} (${where})`);
  if (!envKey && (await store.listApiKeys()).length === 0) {
    const { key } = await createApiKey(store, ['admin'], 'first start');
    out(
      `First start: an admin API key was created. It is shown only this once:\n\n  ${key}\n\nUse it as 'Authorization: Bearer <key>' at ${shown}; create more with 'rxtrace keys create'.`,
    );
  }
  await closed;
  await stopping;
  process.off('SIGTERM', onTerm);
  process.off('SIGINT', onInt);
  return 0;
}
