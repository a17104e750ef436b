/**
 * @rxtrace/epcis — GS1 EPCIS 2.0 and CBV 2.0: the model, JSON-LD and XML (2.0 and 1.2) reading and
 * writing, validation, streaming, identifier normalisation and the CBV 2.0 Event Hash ID.
 * Pure: no I/O beyond the streams a caller hands in.
 */

export * from './cbv.ts';
export * from './hash/index.ts';
export * from './json/stream.ts';
export * from './model.ts';
export * from './normalise.ts';
export * from './read.ts';
export * from './read-items.ts';
export * from './validate/index.ts';
export * from './xml/index.ts';
