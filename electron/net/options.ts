import { defaultKeepBytes } from '../../shared/net/contract';
import { type CoalescerOptions, defaultCoalescing } from './coalescer';

/** Knobs of the UDP and TCP services; tests and benchmarks turn them, the app uses the defaults. */
export interface NetServiceOptions {
  coalescing?: Partial<Pick<CoalescerOptions<unknown>, 'intervalMs' | 'maxBytes' | 'maxItems'>>;
  /** Received bytes kept per session when a request does not say (default 64 MiB). */
  keepBytes?: number;
}

export function resolveOptions(options: NetServiceOptions = {}) {
  return {
    coalescing: { ...defaultCoalescing, ...options.coalescing },
    keepBytes: options.keepBytes ?? defaultKeepBytes,
  };
}

export type ResolvedNetOptions = ReturnType<typeof resolveOptions>;
