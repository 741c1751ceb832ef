import type { ComponentType } from 'react';
import { ExercisesPage } from '../conversation/ExercisesPage';
import { DnsPage } from '../dns/DnsPage';
import { HttpPage } from '../http/HttpPage';
import { SmtpPage } from '../smtp/SmtpPage';
import { TcpPage } from '../tcp/TcpPage';
import { UdpPage } from '../udp/UdpPage';

export interface Tool {
  /** In the address: `#/udp`. Matches the protocol's folder name (shared/udp, electron/udp, renderer/udp). */
  readonly id: string;
  /** The name in the navigation. */
  readonly label: string;
  readonly title: string;
  readonly summary: string;
  /** The tool itself. Until a tool has one it is listed as "coming". */
  readonly Panel?: ComponentType;
}

/**
 * Every tool the app lists, in navigation order. Adding a tool is one entry here;
 * building one is giving its entry a `Panel`.
 */
export const tools: readonly Tool[] = [
  {
    id: 'udp',
    label: 'UDP',
    title: 'UDP client and server',
    summary: 'Send a line to an uppercase server as one datagram and see each datagram, who sent it and its bytes.',
    Panel: UdpPage,
  },
  {
    id: 'tcp',
    label: 'TCP',
    title: 'TCP client and server',
    summary:
      'Connect, send and receive over a byte stream: the handshake time, each chunk as it arrives, and both ends.',
    Panel: TcpPage,
  },
  {
    id: 'http',
    label: 'HTTP',
    title: 'HTTP by hand',
    summary: 'Type a request line and headers yourself and read the status, headers and body that come back.',
    Panel: HttpPage,
  },
  {
    id: 'smtp',
    label: 'SMTP',
    title: 'SMTP by hand',
    summary: 'Hold a mail conversation command by command and see every reply code the server gives.',
    Panel: SmtpPage,
  },
  {
    id: 'dns',
    label: 'DNS',
    title: 'DNS by hand',
    summary:
      'Build a DNS query byte by byte, read the reply field by field, and walk the hierarchy referral by referral.',
    Panel: DnsPage,
  },
  {
    id: 'exercises',
    label: 'Exercises',
    title: 'Exercises',
    summary: 'Conversation files a lab ships: open one in its tool and replay it against your own server.',
    Panel: ExercisesPage,
  },
];

export function findTool(id: string): Tool | undefined {
  return tools.find((tool) => tool.id === id);
}
