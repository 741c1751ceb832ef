import { defaultKeepBytes } from '../../shared/net/contract';
import { type CoalescerOptions, defaultCoalescing } from './coalescer';
import { readPauseOptions } from './readPause';

/** Knobs of the UDP and TCP services; tests and benchmarks turn them, the app uses the defaults. */
export interface NetServiceOptions {
  coalescing?: Partial<Pick<CoalescerOptions<unknown>, 'intervalMs' | 'maxBytes' | 'maxItems'>>;
  /** Received bytes kept per session when a request does not say (default 64 MiB). */
  keepBytes?: number;
  /** A TCP socket stops reading while more than this many bytes of events wait for the page (default 8 MiB). */
  pageHighWaterBytes?: number;
}

export function resolveOptions(options: NetServiceOptions = {}) {
  return {
    coalescing: { ...defaultCoalescing, ...options.coalescing },
    keepBytes: options.keepBytes ?? defaultKeepBytes,
    readPause: readPauseOptions(options.pageHighWaterBytes),
  };
}

export type ResolvedNetOptions = ReturnType<typeof resolveOptions>;
