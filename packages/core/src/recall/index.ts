/** Recall and withdrawal of lots and products (./service.ts). */
export * from './service.ts';
