/**
 * `npm run bench -- <name> [options]`: runs the benchmark `bench/<name>.ts`, a module exporting
 * `async run(args: string[])`. With no name, lists the benchmarks. Benchmarks print every figure
 * as a ratio to a baseline measured in the same run; they are never part of the test suite.
 */
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface BenchModule {
  /** One line on what the benchmark measures (shown in the list). */
  description?: string;
  /** Resolves to the exit code, or to anything else for 0. */
  run(args: string[]): Promise<unknown>;
}

const dir = new URL('.', import.meta.url);

export function listBenchmarks(): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'run.ts' && !f.startsWith('_'))
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

async function load(name: string): Promise<BenchModule> {
  const mod = (await import(pathToFileURL(new URL(`${name}.ts`, dir).pathname).href)) as Partial<BenchModule>;
  if (typeof mod.run !== 'function')
    throw new Error(`bench/${name}.ts does not export an async run(args) function`);
  return mod as BenchModule;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const names = listBenchmarks();
  if (!name || name === '--help' || name === '-h') {
    console.log('usage: npm run bench -- <name> [options]\n\nbenchmarks:');
    for (const n of names) {
      const d = (await load(n)).description;
      console.log(`  ${n.padEnd(12)}${d ?? ''}`);
    }
    return 0;
  }
  if (!names.includes(name)) {
    console.error(`bench: unknown benchmark '${name}' (available: ${names.join(', ') || 'none'})`);
    return 2;
  }
  const code = await (await load(name)).run(args);
  return typeof code === 'number' ? code : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  },
);
