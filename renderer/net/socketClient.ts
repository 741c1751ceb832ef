import type { Client } from '../../shared/contract/client';
import { type ComposerState, defaultComposer } from './composer';
import type { ControlError, ControlErrors } from './errors';
import { withoutAnswered, withoutCancelled } from './replyWaits';
import { type ModelOptions, type Wait, without } from './session';
import { SessionTranscript } from './sessionTranscript';
import { Store } from './store';
import { Traffic } from './traffic';
import type { TabModel } from './tabs';

/** What a TCP or UDP client tab holds besides its socket: the fields as typed, the reply waits, the errors. */
export interface SocketClientState<C extends string> {
  readonly host: string;
  readonly port: string;
  readonly composer: ComposerState;
  /** Seconds as typed: how long to watch for a reply (TCP: empty, not at all; UDP needs one, it never says nobody listened). */
  readonly replyDeadline: string;
  readonly replyWaits: readonly Wait[];
  readonly errors: ControlErrors<C>;
}

/** A new tab aims at the textbook's server on this machine. */
export const newSocketClient = {
  host: '127.0.0.1',
  port: '12000',
  composer: defaultComposer,
  replyDeadline: '5',
  replyWaits: [],
  errors: {},
} as const satisfies SocketClientState<never>;

/**
 * What the TCP and UDP client tabs do alike: the transcript and the traffic counts,
 * the reply waits (a reply or the Node side's "no reply" ends one, and so does its
 * Cancel), and the errors kept beside their controls.
 */
export abstract class SocketClientModel<C extends string, S extends SocketClientState<C>>
  extends Store<S>
  implements TabModel
{
  readonly transcript: SessionTranscript;
  /** Bytes (TCP) or datagrams (UDP) sent and received on the current socket. */
  readonly traffic = new Traffic();
  protected readonly now: () => number;

  constructor(
    protected readonly client: Client,
    readonly tabId: string,
    readonly label: string,
    options: ModelOptions,
    initial: S,
  ) {
    super(initial);
    this.now = options.now ?? Date.now;
    this.transcript = new SessionTranscript(options.transcript);
  }

  /** The open socket's session, if any. */
  abstract get sessionId(): string | undefined;

  /** An open socket, or a transcript with lines: a reload would lose them. */
  hasUnsavedWork(): boolean {
    return this.sessionId !== undefined || this.transcript.view.hasRows;
  }

  abstract dispose(): void;

  /** Cancel beside a reply countdown (without `seq`: all of them): stop waiting; nothing is sent to the server. */
  async cancelReplyWait(seq?: number): Promise<void> {
    const sessionId = this.sessionId;
    this.set({ ...this.state, replyWaits: withoutCancelled(this.state.replyWaits, seq) });
    if (!sessionId) return;
    try {
      await this.cancelWait(seq === undefined ? { sessionId } : { sessionId, seq });
    } catch {
      // The wait ends on the Node side anyway at its deadline; nothing to show.
    }
  }

  /** Asks the Node side to stop watching for the reply (`tcp.cancelWait`, `udp.cancelWait`). */
  protected abstract cancelWait(request: { sessionId: string; seq?: number }): Promise<unknown>;

  /** Chunks or datagrams arrived: those that answer a send end its wait. */
  protected repliesIn(received: readonly { readonly reply?: { readonly seq: number } | undefined }[]): void {
    const replyWaits = withoutAnswered(this.state.replyWaits, received);
    if (replyWaits !== this.state.replyWaits) this.set({ ...this.state, replyWaits });
  }

  /** The Node side says send `seq` got no reply within its deadline. */
  protected noReply(seq: number): void {
    this.set({ ...this.state, replyWaits: this.state.replyWaits.filter((wait) => wait.seq !== seq) });
  }

  /** A change the user made; the errors it answers go. */
  protected patch(change: Partial<S>, ...clears: C[]): void {
    this.set({ ...this.state, ...change, errors: without(this.state.errors, ...clears) });
  }

  protected setError(control: C, error: ControlError): void {
    this.set({ ...this.state, errors: { ...this.state.errors, [control]: error } });
  }
}
