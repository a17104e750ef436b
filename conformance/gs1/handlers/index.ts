/** Every vector kind and the handler that checks it. One file per library area. */
import type { Handler } from '../types.ts';
import { digitalLinkHandlers } from './digital-link.ts';
import { elementHandlers } from './elements.ts';
import { epcHandlers } from './epc.ts';
import { linterHandlers } from './linters.ts';

export const HANDLERS: Record<string, Handler> = {
  ...digitalLinkHandlers,
  ...epcHandlers,
  ...linterHandlers,
  ...elementHandlers,
};
