import type { Reply } from '../checks';
import type { WaitPlan } from './collector';

/** Where a conversation goes, variables already expanded. */
export interface ResolvedTarget {
  host: string;
  port: number;
  tls: boolean;
}

/**
 * One tool's way of carrying a conversation over the app's own sessions (the typed
 * client's tcp.*, udp.*, http.* and smtp.* commands). Errors are thrown as the
 * client's PlaygroundError (refused, unresolved, reset) and end the conversation.
 */
export interface Driver {
  open(signal?: AbortSignal): Promise<void>;
  /** What the server says before anything is sent (SMTP greeting, a TCP banner). */
  first(plan: WaitPlan, signal?: AbortSignal): Promise<Reply>;
  exchange(bytes: Uint8Array, plan: WaitPlan, signal?: AbortSignal): Promise<Reply>;
  /** Lets go of everything it opened; never throws. */
  close(): Promise<void>;
}
