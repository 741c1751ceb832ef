import type net from 'node:net';

const LF = 0x0a;
const CR = 0x0d;
/** A line this long without LF is logged in pieces, so one endless line cannot hold memory. */
const maxPendingBytes = 64 * 1024;
const endOfData = Buffer.from('.\r\n');

export interface TranscriptSink {
  /** Bytes the client sent: one command line, or during DATA the message lines that arrived together. */
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
  /**
   * Where a "." line ends the message, exactly as smtp-server's SMTPStream decides: only
   * CR LF . CR LF, or . CR LF as the very first bytes after the 354. A dot line after a
   * bare LF (or CR) is message text to smtp-server, so it is here too (else the log would
   * show smuggled lines as commands that never ran).
   */
  private atMessageStart = false;
  private afterCrlf = false;
  /**
   * Lines and message terminators smtp-server has yet to answer (it answers each with one
   * reply, in order). A pipelining client may send DATA and its message in one read, read
   * here before smtp-server has answered DATA: what follows DATA is held until the reply
   * that answers it, and is the message only if that reply is 354, as for smtp-server.
   */
  private unanswered = 0;
  private held: Buffer | undefined;
  private greeted = false;
  private attached = 0;
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;
  private flushSoon: NodeJS.Immediate | undefined;

  constructor(private readonly sink: TranscriptSink) {}

  attach(socket: net.Socket): void {
    if (this.attached++ > 0) {
      // The TLS socket after STARTTLS: smtp-server dropped what came in clear after it, unanswered.
      this.unanswered = 0;
      this.release();
    }
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
    const is354 = bytes[0] === 0x33 && bytes[1] === 0x35 && bytes[2] === 0x34;
    if (this.greeted && this.unanswered > 0) this.unanswered--;
    this.greeted = true;
    // Only DATA is answered with 354: whatever the count says, this is DATA's answer.
    if (is354) this.unanswered = 0;
    if (is354) {
      this.inMessage = true;
      this.atMessageStart = true;
      this.afterCrlf = false;
    }
    this.sink.replied(bytes);
    if (this.held && this.unanswered === 0) this.release();
  }

  /** What arrived after DATA, now that smtp-server has answered it: read as the message or as commands. */
  private release(): void {
    const held = this.held;
    this.held = undefined;
    if (held) this.read(held);
  }

  private read(chunk: Buffer): void {
    if (this.held) {
      this.held = Buffer.concat([this.held, chunk]);
      return;
    }
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let start = 0;
    let run = -1;
    const endRun = (end: number) => {
      if (run >= 0 && end > run) this.gather(data.subarray(run, end));
      run = -1;
    };
    for (;;) {
      const newline = data.indexOf(LF, start);
      if (newline < 0) break;
      const end = newline + 1;
      if (!this.inMessage) {
        const line = data.subarray(start, end);
        this.sink.received(line, false);
        this.unanswered++;
        if (isDataCommand(line)) {
          // Whatever follows (maybe nothing yet) waits for smtp-server's answer to DATA.
          this.held = Buffer.from(data.subarray(end));
          return;
        }
      } else if (
        (this.atMessageStart || this.afterCrlf) &&
        end - start === endOfData.length &&
        data.subarray(start, end).equals(endOfData)
      ) {
        endRun(start);
        this.flushGathered();
        this.sink.received(data.subarray(start, end), true);
        this.inMessage = false;
        // The message gets its own reply (250, or a refusal), like a command.
        this.unanswered++;
      } else {
        if (run < 0) run = start;
        this.atMessageStart = false;
        this.afterCrlf = end - start >= 2 && data[end - 2] === CR;
      }
      start = end;
    }
    endRun(start);
    if (start < data.length) {
      data = data.subarray(start);
      if (data.length < maxPendingBytes) this.pending = Buffer.from(data);
      else if (this.inMessage) {
        this.gather(data);
        this.atMessageStart = false;
        this.afterCrlf = false;
      } else this.sink.received(data, false);
    }
  }

  /**
   * Message lines that arrive together (within one turn of the event loop) become one
   * entry of at most 64 KiB: a line typed by hand is a row of its own, a message sent
   * in one go is one row, and a big attachment (180,000 base64 lines) a few hundred.
   */
  private gather(bytes: Buffer): void {
    this.gathered.push(Buffer.from(bytes));
    this.gatheredBytes += bytes.length;
    if (this.gatheredBytes >= maxPendingBytes) this.flushGathered();
    else this.flushSoon ??= setImmediate(() => this.flushGathered());
  }

  private flushGathered(): void {
    if (this.flushSoon) clearImmediate(this.flushSoon);
    this.flushSoon = undefined;
    if (this.gatheredBytes === 0) return;
    const bytes = this.gathered.length === 1 ? (this.gathered[0] as Buffer) : Buffer.concat(this.gathered);
    this.gathered = [];
    this.gatheredBytes = 0;
    this.sink.received(bytes, true);
  }

  /** What was left unfinished when the connection closed (a line without LF, bytes after an unanswered DATA). */
  flush(): void {
    const held = this.held;
    this.held = undefined;
    if (held && held.length > 0) this.sink.received(held, false);
    this.flushGathered();
    if (this.pending) this.sink.received(this.pending, this.inMessage);
    this.pending = undefined;
  }
}

/** The line is the DATA command as smtp-server reads one: its first word, any case, line ending dropped. */
function isDataCommand(line: Buffer): boolean {
  if (line.length < 5) return false;
  const text = line.toString('latin1').replace(/\r?\n$/, '');
  return (text.split(' ', 1)[0] ?? '').toUpperCase() === 'DATA';
}
