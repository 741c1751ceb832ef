import { z } from 'zod';

/** Bytes travel as Uint8Array end to end (Node's Buffer is a Uint8Array too). */
export const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, {
  message: 'expected bytes (a Uint8Array)',
});

/** A TCP/UDP port a user typed: the message says what is allowed, not just "invalid". */
export const portNumber = z
  .number({ message: 'port must be a number' })
  .int({ message: 'port must be a whole number from 1 to 65535' })
  .min(1, { message: 'port must be from 1 to 65535' })
  .max(65535, { message: 'port must be from 1 to 65535' });

export interface CommandSpec {
  request: z.ZodType;
  response: z.ZodType;
}

/** Declares one command; `satisfies` keeps each request/response schema's own type. */
export function command<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response } satisfies CommandSpec;
}
