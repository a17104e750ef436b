export * from './requester.ts';
export * from './responder.ts';
export * from './returns.ts';
export * from './standard.ts';
