export * from './message';
export type * from './model';
export { formatIPv6 } from './rdata';
export { hex } from './hex';
