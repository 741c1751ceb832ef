import type net from 'node:net';

const LF = 0x0a;
/** A line this long without LF is logged in pieces, so one endless line cannot hold memory. */
const maxPendingBytes = 64 * 1024;
/** A read of the message with more lines than this is logged as one entry, not one per line. */
const maxLinesApart = 16;
const endOfData = Buffer.from('.\r\n');

export interface TranscriptSink {
  /** Bytes the client sent: one line, or during DATA possibly several whole lines. */
  received(data: Uint8Array, message: boolean): void;
  /** One reply as written to the socket. */
  replied(data: Uint8Array): void;
}

/**
 * The conversation exactly as it crosses one connection, from the server's side: what
 * the client sent, cut into lines, and each reply smtp-server writes. It listens on the
 * socket (a second reader beside smtp-server's parser) and wraps the socket's write, so
 * the log shows the bytes themselves, not smtp-server's summary of them. After STARTTLS
 * it is attached to the TLS socket, so the log shows what went inside TLS in clear.
 */
export class ConnectionTranscript {
  private pending: Buffer | undefined;
  /** Between our 354 and the client's "." line, lines are the message, not commands. */
  private inMessage = false;
  /** The client's last command, to tell a STARTTLS 220 from the greeting. */
  lastCommand = '';

  constructor(private readonly sink: TranscriptSink) {}

  attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    const write = socket.write;
    const wrote = (bytes: Buffer) => this.wrote(bytes);
    // smtp-server writes each reply with one write(string) call: that call is the reply.
    socket.write = function (this: net.Socket, ...args: Parameters<net.Socket['write']>) {
      const [data, encoding] = args;
      wrote(
        typeof data === 'string'
          ? Buffer.from(data, typeof encoding === 'string' ? encoding : 'utf8')
          : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      );
      return write.apply(this, args);
    } as net.Socket['write'];
  }

  private wrote(bytes: Buffer): void {
    if (bytes[0] === 0x33 && bytes[1] === 0x35 && bytes[2] === 0x34) this.inMessage = true;
    this.sink.replied(bytes);
  }

  private read(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let start = 0;
    let messageFrom = -1;
    const flushMessage = (end: number) => {
      if (messageFrom >= 0 && end > messageFrom) this.sink.received(data.subarray(messageFrom, end), true);
      messageFrom = -1;
    };
    for (;;) {
      const newline = data.indexOf(LF, start);
      if (newline < 0) break;
      const end = newline + 1;
      if (this.inMessage) {
        const line = data.subarray(start, end);
        if (line.equals(endOfData)) {
          flushMessage(start);
          this.sink.received(line, true);
          this.inMessage = false;
        } else if (messageFrom >= 0) {
          // Part of a run already gathered.
        } else if (this.linesAhead(data, start) > maxLinesApart) {
          // A big read of the message: one entry for its lines rather than hundreds.
          messageFrom = start;
        } else {
          this.sink.received(line, true);
        }
      } else {
        const line = data.subarray(start, end);
        this.lastCommand = line.toString('latin1').trim().toUpperCase();
        this.sink.received(line, false);
      }
      start = end;
    }
    flushMessage(start);
    if (start < data.length) {
      data = data.subarray(start);
      if (data.length >= maxPendingBytes) this.sink.received(data, this.inMessage);
      else this.pending = Buffer.from(data);
    }
  }

  /** Whether at least `limit` more lines follow in this read (counting stops at the limit). */
  private linesAhead(data: Buffer, from: number): number {
    let count = 0;
    let at = from;
    while (count < maxLinesApart) {
      const next = data.indexOf(LF, at);
      if (next < 0) break;
      count++;
      at = next + 1;
    }
    return count;
  }

  /** What was left unfinished when the connection closed (a line without LF). */
  flush(): void {
    if (this.pending) this.sink.received(this.pending, this.inMessage);
    this.pending = undefined;
  }
}
