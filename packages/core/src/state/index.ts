export { packChangeOf } from './rules.ts';
