import { dnsClientCommands, dnsClientEvents } from './client/contract';
import { dnsServerCommands, dnsServerEvents } from './server/contract';

/** DNS by hand: the client (`dns.*`), the built-in servers (`dnsServer.*`) and the hierarchy (`dnsHierarchy.*`). */
export const dnsCommands = { ...dnsClientCommands, ...dnsServerCommands };
export const dnsEvents = { ...dnsClientEvents, ...dnsServerEvents };
