/** @rxtrace/core — the domain. Talks to storage only through the Store interface. */
export * from './capture/index.ts';
export * from './dscsa/index.ts';
export * from './fmd/index.ts';
export * from './keys/index.ts';
export * from './labels/index.ts';
export * from './query/index.ts';
export * from './recall/index.ts';
export * from './registry/index.ts';
export * from './serials/index.ts';
export * from './state/index.ts';
export * from './subscriptions/index.ts';
export * from './trace/index.ts';
export * from './verification/index.ts';
