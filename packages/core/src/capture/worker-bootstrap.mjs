// Entry of a capture worker thread: the project runs its TypeScript sources through tsx, which a
// worker registers for itself (a main thread started with `--import tsx` passes that on too; a
// second registration is harmless).
import { register } from 'tsx/esm/api';

register();
await import('./worker-thread.ts');
