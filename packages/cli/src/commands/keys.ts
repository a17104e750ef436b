/** `rxtrace keys create | list | revoke`: API keys, directly in the store. */
import { API_KEY_ROLES, createApiKey } from '@rxtrace/core';
import { err, out, parse, UsageError } from '../args.ts';
import { openStore } from './store.ts';

export const KEYS_HELP = `rxtrace keys — API keys of the HTTP server

Usage:
  rxtrace keys create --role capture,query [--label L]   create a key; it is printed this once
  rxtrace keys list                                      the keys (never their secrets)
  rxtrace keys revoke <keyId>                            revoke a key

Roles: ${API_KEY_ROLES.join(', ')} (admin may do everything).
Store options (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://…
`;

const STORE_OPTS = {
  data: { type: 'string' },
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function keysCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'create': {
        const { values, positionals } = parse(rest, {
          ...STORE_OPTS,
          role: { type: 'string', multiple: true },
          label: { type: 'string' },
        });
        if (values.help) return help();
        if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
        const roles = (values.role ?? [])
          .flatMap((r) => r.split(','))
          .map((r) => r.trim())
          .filter(Boolean);
        if (!roles.length)
          throw new UsageError(`--role is required (${API_KEY_ROLES.join(', ')}, comma-separated)`);
        const bad = roles.filter((r) => !(API_KEY_ROLES as readonly string[]).includes(r));
        if (bad.length) throw new UsageError(`unknown role '${bad[0]}' (roles: ${API_KEY_ROLES.join(', ')})`);
        const { store } = await openStore(values);
        try {
          await store.migrate();
          const { key, record } = await createApiKey(store, roles, values.label ?? '');
          out(key);
          err(
            `key ${record.keyId} (roles: ${record.roles.join(', ')}${record.label ? `, label: ${record.label}` : ''}) — shown only this once`,
          );
        } finally {
          await store.close();
        }
        return 0;
      }
      case 'list': {
        const { values } = parse(rest, STORE_OPTS);
        if (values.help) return help();
        const { store } = await openStore(values);
        try {
          await store.migrate();
          for (const k of await store.listApiKeys()) {
            out(
              JSON.stringify({
                keyId: k.keyId,
                roles: k.roles,
                label: k.label,
                createdAt: k.createdAt,
                ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
              }),
            );
          }
        } finally {
          await store.close();
        }
        return 0;
      }
      case 'revoke': {
        const { values, positionals } = parse(rest, STORE_OPTS);
        if (values.help) return help();
        if (positionals.length !== 1) throw new UsageError('keys revoke takes one keyId');
        const { store } = await openStore(values);
        try {
          await store.migrate();
          const rec = await store.findApiKey(positionals[0]!);
          if (!rec) {
            err(`rxtrace keys: there is no key ${positionals[0]}`);
            return 1;
          }
          if (!rec.revokedAt) await store.putApiKey({ ...rec, revokedAt: new Date().toISOString() });
          err(`key ${rec.keyId} revoked (a running server notices within 10 seconds)`);
        } finally {
          await store.close();
        }
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return help();
      default:
        throw new UsageError(`unknown keys command '${sub}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`rxtrace keys: ${e.message}\n\n${KEYS_HELP}`);
      return 2;
    }
    throw e;
  }
}

function help(): number {
  out(KEYS_HELP);
  return 0;
}
