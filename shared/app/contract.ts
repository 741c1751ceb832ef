import { z } from 'zod';
import { bytes, command } from '../contract/schema';

export const transportKinds = ['electron', 'browser', 'memory'] as const;
export type TransportKind = (typeof transportKinds)[number];

export const appCommands = {
  /** What runs on the Node side: shown in the status bar. */
  'app.info': command(
    z.object({}).strict(),
    z.object({
      name: z.string(),
      version: z.string(),
      platform: z.string(),
      arch: z.string(),
      node: z.string(),
      electron: z.string().nullable(),
      transport: z.enum(transportKinds),
    }),
  ),
  /** Sends bytes to the Node side and back: proves the byte path and measures the transport's round trip. */
  'app.ping': command(
    z.object({ data: bytes.refine((b) => b.byteLength <= 65536, 'at most 64 KiB') }).strict(),
    z.object({ data: bytes, receivedAt: z.number() }),
  ),
};

export const appEvents = {
  /** Once a second from the Node side while a transport is open: proves the event path. */
  'clock.tick': z.object({ now: z.number(), seq: z.number().int().nonnegative() }),
  /** A frame the Node side could not answer (no usable request id). */
  'host.rejected': z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
};
