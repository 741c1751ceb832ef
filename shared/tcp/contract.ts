import { tcpClientCommands, tcpClientEvents } from './client/contract';
import { tcpServerCommands, tcpServerEvents } from './server/contract';

/** TCP, both ends: the client (`tcp.*`) and the built-in textbook TCPServer (`tcpServer.*`). */
export const tcpCommands = { ...tcpClientCommands, ...tcpServerCommands };
export const tcpEvents = { ...tcpClientEvents, ...tcpServerEvents };
