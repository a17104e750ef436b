/** Argument parsing for the commands: Node's own parseArgs, with a friendly error. */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {}

export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
}

export function err(s: string): void {
  process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
}

export type Subcommand = (argv: string[]) => Promise<number>;

/**
 * Runs `rxtrace <group> <sub> …`: dispatches to the subcommand, prints the group's help for
 * `help`/`--help`/none, and turns a usage error into its message plus help and exit status 2.
 */
export async function dispatch(
  group: string,
  help: string,
  subs: Record<string, Subcommand>,
  argv: string[],
): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
      out(help);
      return 0;
    }
    const run = Object.hasOwn(subs, sub) ? subs[sub] : undefined;
    if (!run) throw new UsageError(`unknown ${group} command '${sub}'`);
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`rxtrace ${group}: ${e.message}\n\n${help}`);
      return 2;
    }
    throw e;
  }
}
