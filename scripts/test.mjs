// Runs every test file of the repository with Node's own test runner (through tsx).
// Node 20 finds no tests unless the files are listed, so they are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = ['packages', 'conformance', 'bench', 'scripts'];
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.test\.(ts|mjs|js)$/.test(name)) files.push(relative(root, p));
  }
}
for (const r of roots) {
  try {
    walk(join(root, r));
  } catch {}
}
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
selected.sort();
if (selected.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
