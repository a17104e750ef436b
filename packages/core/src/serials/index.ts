/** Serial number management: pool configuration, generators, issuance, lifecycle, commissioning. */
export * from './commission.ts';
export * from './config.ts';
export * from './errors.ts';
export * from './generate.ts';
export * from './service.ts';
