#!/usr/bin/env node
// Entry point of the `rxtrace` command. The project runs its TypeScript sources directly
// (through tsx), so `npx rxtrace` works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
