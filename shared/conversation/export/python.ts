import type { ExportConversation, ExportStep, Piece } from './steps';
import { lines, merged } from './steps';

/** A Python bytes literal: printable ASCII as itself, everything else \r \n \t or \xNN. */
export function pyBytes(bytes: Uint8Array): string {
  let out = "b'";
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x27) out += "\\'";
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

function pyString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function pyName(name: string): string {
  return name.replace(/-/g, '_');
}

/** The bytes of a send as one Python expression (literals split at LF, captured values encoded). */
function sendExpression(pieces: Piece[], indent: string): string {
  const parts: string[] = [];
  for (const piece of merged(pieces)) {
    if ('captured' in piece) parts.push(`${pyName(piece.captured)}.encode()`);
    else for (const line of lines(piece.bytes)) parts.push(pyBytes(line));
  }
  if (parts.length === 1) return parts[0] as string;
  return `(${parts.join(`\n${indent}    + `)})`;
}

const helpers = `
def recv_response(sock):
    """Reads one HTTP response: the head, then Content-Length bytes (or up to the close)."""
    data = b''
    while b'\\r\\n\\r\\n' not in data:
        chunk = sock.recv(1024)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b'\\r\\n\\r\\n')
    length = None
    for line in head.split(b'\\r\\n')[1:]:
        name, _, value = line.partition(b':')
        if name.strip().lower() == b'content-length':
            length = int(value.strip())
    status = head.split(b' ')[1] if b' ' in head else b''
    if status in (b'204', b'304') or head.startswith(b'HEAD'):
        length = 0
    while length is None or len(body) < length:
        try:
            chunk = sock.recv(1024)
        except timeout:
            break
        if not chunk:
            break
        body += chunk
    return head + b'\\r\\n\\r\\n' + body


def header(response, name):
    """The value of a header in a response, as text ('' when it is missing)."""
    head = response.split(b'\\r\\n\\r\\n')[0].decode('latin-1')
    for line in head.split('\\r\\n')[1:]:
        field, _, value = line.partition(':')
        if field.strip().lower() == name.lower():
            return value.strip()
    return ''
`;

function stepLines(conversation: ExportConversation, step: ExportStep, index: number): string[] {
  const out: string[] = [];
  const reply =
    conversation.tool === 'udp' ? 'modifiedMessage' : conversation.tool === 'tcp' ? 'modifiedSentence' : 'reply';
  if (step.send) {
    const expression = sendExpression(step.send, '');
    if (conversation.tool === 'udp') {
      out.push(`message = ${expression}`, 'clientSocket.sendto(message, (serverName, serverPort))');
      out.push(`${reply}, serverAddress = clientSocket.recvfrom(2048)`);
    } else {
      out.push(`message = ${expression}`, 'clientSocket.send(message)');
      if (conversation.tool === 'http') out.push(`${reply} = recv_response(clientSocket)`);
      else out.push(`${reply} = clientSocket.recv(1024)`);
    }
  } else {
    out.push(`${reply} = clientSocket.recv(1024)`);
  }
  out.push(`print('From Server:', ${reply}.decode(errors='backslashreplace'))`);
  if (step.code) {
    const prefix = step.code.replace(/x+$/, '');
    const at = conversation.tool === 'http' ? `${reply}[9:${9 + prefix.length}]` : `${reply}[:${prefix.length}]`;
    if (prefix.length > 0 && !prefix.includes('x')) {
      out.push(
        `if ${at} != ${pyBytes(new TextEncoder().encode(prefix))}:`,
        `    print('${step.code} reply not received from server.')`,
      );
    }
  }
  for (const capture of step.captures) {
    const name = pyName(capture.name);
    if (capture.source.from === 'header') out.push(`${name} = header(${reply}, ${pyString(capture.source.header)})`);
    else {
      const text = capture.source.from === 'body' ? `${reply}.split(b'\\r\\n\\r\\n', 1)[-1]` : reply;
      out.push(
        `found = re.search(${pyString(capture.source.source)}, ${text}.decode(errors='replace'))`,
        `${name} = (found.group(1) if found and found.groups() else found.group(0)) if found else ''`,
      );
    }
  }
  void index;
  return out;
}

/** The file as a Python 3 program in the textbook's style (from socket import *, serverName, serverPort, clientSocket). */
export function toPython(conversations: ExportConversation[], source: string): string {
  const usesHttp = conversations.some((c) => c.tool === 'http');
  const usesRegex = conversations.some((c) => c.steps.some((s) => s.captures.some((x) => x.source.from !== 'header')));
  const out: string[] = [
    `# ${source}, exported by Protocol Playground: the same bytes, as a Python socket program.`,
    'from socket import *',
  ];
  if (usesRegex) out.push('import re');
  if (usesHttp || usesRegex) out.push(helpers);
  conversations.forEach((conversation, index) => {
    out.push('', `# ${conversation.title || `${conversation.tool.toUpperCase()} conversation ${index + 1}`}`);
    out.push(`serverName = ${pyString(conversation.host)}`, `serverPort = ${conversation.port}`);
    const family = conversation.host.includes(':') ? 'AF_INET6' : 'AF_INET';
    if (conversation.tool === 'udp') {
      out.push(`clientSocket = socket(${family}, SOCK_DGRAM)`, 'clientSocket.settimeout(5)');
    } else {
      out.push(
        `clientSocket = socket(${family}, SOCK_STREAM)`,
        'clientSocket.settimeout(5)',
        'clientSocket.connect((serverName, serverPort))',
      );
    }
    conversation.steps.forEach((step, i) => out.push(...stepLines(conversation, step, i)));
    out.push('clientSocket.close()');
  });
  return `${out.join('\n')}\n`;
}
