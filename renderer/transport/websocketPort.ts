import { decodeFrame, encodeFrame, maxFrameBytes } from '../../shared/contract/codec';
import { PlaygroundError } from '../../shared/contract/errors';
import type { Frame } from '../../shared/contract/frames';
import { type Port, PortListeners } from '../../shared/transport/port';

/** A Port that can say why it closed, in words for the status bar. */
export interface WebSocketPort extends Port {
  readonly closeReason: string | undefined;
}

export interface OpenWebSocketOptions {
  /** Aborting before the socket opens closes it and rejects. */
  signal?: AbortSignal | undefined;
  /** Offered in `Sec-WebSocket-Protocol`; the browser-mode host reads its access token here. */
  protocols?: readonly string[] | undefined;
  /** Node tests pass the `ws` client here; the page uses the browser's WebSocket. */
  createSocket?: ((url: string, protocols: string[]) => WebSocket) | undefined;
}

// readyState values, spelled out because Node's `ws` has no global WebSocket to read them from.
const OPEN = 1;

/**
 * Opens a WebSocket and resolves with a Port over it once it is open. One binary
 * message carries one frame (shared/contract/codec.ts). Browsers do not say why a
 * socket failed to open (a 401 looks like a refused connection), so the rejection
 * only carries the close code.
 */
export function openWebSocketPort(url: string, options: OpenWebSocketOptions = {}): Promise<WebSocketPort> {
  const {
    signal,
    protocols = [],
    createSocket = (target: string, offered: string[]) => new WebSocket(target, offered),
  } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    let socket: WebSocket;
    try {
      socket = createSocket(url, [...protocols]);
    } catch (error) {
      reject(new Error(`cannot open ${url}: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    socket.binaryType = 'arraybuffer';
    // The close event that always follows says what we report; without a listener,
    // Node's `ws` (used in tests) would throw the error instead.
    socket.addEventListener('error', () => {});

    const onAbort = () => {
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('close', onCloseBeforeOpen);
      socket.close();
      reject(abortError(signal));
    };
    const onOpen = () => {
      signal?.removeEventListener('abort', onAbort);
      socket.removeEventListener('close', onCloseBeforeOpen);
      resolve(new SocketPort(socket));
    };
    const onCloseBeforeOpen = (event: CloseEvent) => {
      signal?.removeEventListener('abort', onAbort);
      socket.removeEventListener('open', onOpen);
      // 1006 is all a browser reports for "nobody listening", "refused" and "401" alike.
      reject(
        new Error(
          event.code === 1006
            ? `could not connect to ${url}`
            : `could not open ${url}: ${describeClose(event.code, event.reason)}`,
        ),
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.addEventListener('open', onOpen, { once: true });
    socket.addEventListener('close', onCloseBeforeOpen, { once: true });
  });
}

class SocketPort implements WebSocketPort {
  private readonly listeners = new PortListeners();
  private reason: string | undefined;

  constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
    socket.addEventListener('close', (event: CloseEvent) => {
      this.reason ??= describeClose(event.code, event.reason);
      this.listeners.markClosed();
    });
  }

  get closed(): boolean {
    return this.listeners.closed;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get closeReason(): string | undefined {
    return this.reason;
  }

  send(frame: Frame): void {
    if (this.closed || this.socket.readyState !== OPEN) return;
    const encoded = encodeFrame(frame);
    // The host would close the whole connection (1009) on it; refusing here fails only this call.
    if (encoded.byteLength > maxFrameBytes) throw tooLarge(frame, encoded.byteLength);
    this.socket.send(encoded);
  }

  onFrame(listener: (frame: unknown) => void): () => void {
    return this.listeners.onFrame(listener);
  }

  onClose(listener: () => void): () => void {
    return this.listeners.onClose(listener);
  }

  close(): void {
    this.shutDown('the page closed the connection');
  }

  private receive(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) {
      this.shutDown('the host sent a text message; frames are binary');
      return;
    }
    let frame: unknown;
    try {
      // The message's ArrayBuffer is this frame's alone: its byte blocks can be views of it.
      frame = decodeFrame(new Uint8Array(data), { viewBlocks: true });
    } catch (error) {
      // A frame we cannot read means the two ends disagree on the format; closing
      // fails the open calls at once instead of leaving them waiting.
      this.shutDown(`the page could not decode a frame from the host (${errorText(error)})`);
      return;
    }
    this.listeners.deliver(frame);
  }

  private shutDown(reason: string): void {
    if (this.closed) return;
    this.reason = reason;
    try {
      // Browsers only let pages close with 1000 or 3000–4999; the reason stays on this side.
      this.socket.close(1000);
    } catch {
      // Already closing: the close event is on its way anyway.
    }
    this.listeners.markClosed();
  }
}

/** WebSocket close codes in words, e.g. for "Reconnecting… (the host stopped)". */
export function describeClose(code: number, reason = ''): string {
  const said = reason ? `: ${reason}` : '';
  switch (code) {
    case 1000:
      return `the host closed the connection${said}`;
    case 1001:
      return `the host is shutting down${said}`;
    case 1006:
      return 'the connection was lost (the host stopped or is unreachable)';
    case 1008:
      return `the host refused the connection${said}`;
    case 1009:
      return `a message was too large for the host${said}`;
    case 1011:
      return `the host hit an internal error${said}`;
    default:
      return `the connection closed with code ${code}${said}`;
  }
}

function tooLarge(frame: Frame, size: number): PlaygroundError {
  const what = frame.kind === 'request' ? frame.method : `a ${frame.kind} frame`;
  const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return new PlaygroundError({
    code: 'E_TOO_LARGE',
    message: `${what} is ${mib(size)} encoded; browser mode carries at most ${mib(maxFrameBytes)} per message. Nothing was sent: send less at once (a smaller attachment or body).`,
    details: { size, maxFrameBytes },
  });
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('opening the connection was cancelled');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
