import type { z } from 'zod';
import { appCommands, appEvents } from '../app/contract';
import { dnsCommands, dnsEvents } from '../dns/contract';
import { httpCommands, httpEvents } from '../http/contract';
import { smtpCommands, smtpEvents } from '../smtp/contract';
import { tcpCommands, tcpEvents } from '../tcp/contract';
import { udpCommands, udpEvents } from '../udp/contract';

/**
 * Every command (renderer → Node side → response) and every event (Node side →
 * renderer), declared once. Each protocol declares its own in shared/<protocol>/contract.ts
 * and is merged here; nothing else in the app names a command or event by hand.
 */
export const commands = {
  ...appCommands,
  ...udpCommands,
  ...tcpCommands,
  ...httpCommands,
  ...smtpCommands,
  ...dnsCommands,
};

export const events = {
  ...appEvents,
  ...udpEvents,
  ...tcpEvents,
  ...httpEvents,
  ...smtpEvents,
  ...dnsEvents,
};

export type Commands = typeof commands;
export type CommandName = keyof Commands;
/** What a caller passes (before schema defaults/transforms). */
export type RequestOf<M extends CommandName> = z.input<Commands[M]['request']>;
/** What a handler receives after validation. */
export type ParsedRequestOf<M extends CommandName> = z.output<Commands[M]['request']>;
export type ResponseOf<M extends CommandName> = z.output<Commands[M]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayloadOf<E extends EventName> = z.output<Events[E]>;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

export { type TransportKind, transportKinds } from '../app/contract';
export * from './errors';
export * from './frames';
export * from './schema';
