import type { ExportConversation, Piece } from './steps';
import { lines, merged } from './steps';

/**
 * A Java string whose chars are the bytes (U+0000–U+00FF): DataOutputStream.writeBytes
 * writes each char's low byte, so the wire gets exactly these bytes.
 */
function javaByteString(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\u00${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

function sendExpression(pieces: Piece[]): string {
  const parts: string[] = [];
  for (const piece of merged(pieces)) {
    if ('captured' in piece) throw new Error(piece.captured);
    for (const line of lines(piece.bytes)) parts.push(javaByteString(line));
  }
  return parts.join('\n            + ');
}

/** The textbook's UDPClient / TCPClient, one block per conversation. */
export function toJava(
  conversations: ExportConversation[],
  source: string,
): { ok: true; program: string } | { ok: false; message: string } {
  const captured = conversations.flatMap((c) => c.steps.flatMap((s) => s.captures.map((x) => x.name)));
  if (captured.length > 0) {
    return { ok: false, message: `captures ({{${captured[0]}}}) are exported to Python only: use --lang python` };
  }
  const className = conversations.every((c) => c.tool === 'udp') ? 'UDPClient' : 'TCPClient';
  const body: string[] = [];
  conversations.forEach((conversation, index) => {
    const n = index === 0 ? '' : String(index + 1);
    body.push(`    // ${conversation.title || conversation.tool.toUpperCase()}`);
    if (conversation.tool === 'udp') {
      body.push(
        `    DatagramSocket clientSocket${n} = new DatagramSocket();`,
        `    clientSocket${n}.setSoTimeout(5000);`,
        `    InetAddress IPAddress${n} = InetAddress.getByName(${javaByteString(new TextEncoder().encode(conversation.host))});`,
      );
      for (const step of conversation.steps) {
        if (!step.send) continue;
        body.push(
          '    {',
          `      byte[] sendData = (${sendExpression(step.send)}).getBytes("ISO-8859-1");`,
          '      byte[] receiveData = new byte[2048];',
          `      DatagramPacket sendPacket = new DatagramPacket(sendData, sendData.length, IPAddress${n}, ${conversation.port});`,
          `      clientSocket${n}.send(sendPacket);`,
          '      DatagramPacket receivePacket = new DatagramPacket(receiveData, receiveData.length);',
          `      clientSocket${n}.receive(receivePacket);`,
          '      String modifiedSentence = new String(receivePacket.getData(), 0, receivePacket.getLength(), "ISO-8859-1");',
          '      System.out.println("FROM SERVER:" + modifiedSentence);',
          '    }',
        );
      }
      body.push(`    clientSocket${n}.close();`);
      return;
    }
    body.push(
      `    Socket clientSocket${n} = new Socket(${javaByteString(new TextEncoder().encode(conversation.host))}, ${conversation.port});`,
      `    clientSocket${n}.setSoTimeout(5000);`,
      // Buffered, then flushed once per step: writeBytes alone writes byte by byte, and a
      // textbook server that reads one recv(1024) would answer the first byte and close.
      `    DataOutputStream outToServer${n} = new DataOutputStream(new BufferedOutputStream(clientSocket${n}.getOutputStream()));`,
      `    BufferedReader inFromServer${n} = new BufferedReader(new InputStreamReader(clientSocket${n}.getInputStream(), "ISO-8859-1"));`,
    );
    for (const step of conversation.steps) {
      if (step.send) {
        body.push(`    outToServer${n}.writeBytes(${sendExpression(step.send)});`, `    outToServer${n}.flush();`);
      }
      body.push(`    printReply(inFromServer${n}, ${conversation.tool === 'smtp' ? 'true' : 'false'});`);
    }
    body.push(`    clientSocket${n}.close();`);
  });
  const program = `// ${source}, exported by Protocol Playground: the same bytes, as the textbook's ${className}.
import java.io.*;
import java.net.*;

class ${className} {
  public static void main(String argv[]) throws Exception {
${body.join('\n')}
  }

  /** Prints the reply line by line: one line for SMTP (and its continuation lines), else up to the close or a 5 s pause. */
  static void printReply(BufferedReader inFromServer, boolean smtp) throws IOException {
    try {
      String line;
      while ((line = inFromServer.readLine()) != null) {
        System.out.println("FROM SERVER: " + line);
        if (smtp && (line.length() < 4 || line.charAt(3) != '-')) return;
      }
    } catch (SocketTimeoutException e) {
      // the server said all it had to say and kept the connection open
    }
  }
}
`;
  return { ok: true, program };
}
