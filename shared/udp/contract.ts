import { udpClientCommands, udpClientEvents } from './client/contract';
import { udpServerCommands, udpServerEvents } from './server/contract';

/** UDP, both ends: the client (`udp.*`) and the built-in textbook UDPServer (`udpServer.*`). */
export const udpCommands = { ...udpClientCommands, ...udpServerCommands };
export const udpEvents = { ...udpClientEvents, ...udpServerEvents };
