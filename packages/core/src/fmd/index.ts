/** EU FMD: verify, decommission, undo, the pharmacy flow (./service.ts), alert codes (./alerts.ts). */
export * from './alerts.ts';
export * from './service.ts';
