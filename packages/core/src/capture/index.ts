/** The capture use case: EPCIS documents and bare events into the store. */
export * from './pipeline.ts';
export * from './prepare.ts';
export * from './problems.ts';
export * from './service.ts';
export * from './single.ts';
export { CaptureWorker, type CaptureWorkerOptions, CaptureWorkers } from './workers.ts';
