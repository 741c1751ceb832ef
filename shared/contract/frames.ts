import { z } from 'zod';

/** Request ids are chosen by the caller, unique per port while the call is open. */
const callId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const errorInfoSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  field: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const requestFrameSchema = z.object({
  kind: z.literal('request'),
  id: callId,
  method: z.string().min(1).max(128),
  payload: z.unknown(),
});

export const responseFrameSchema = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('response'), id: callId, ok: z.literal(true), result: z.unknown() }),
  z.object({ kind: z.literal('response'), id: callId, ok: z.literal(false), error: errorInfoSchema }),
]);

export const eventFrameSchema = z.object({
  kind: z.literal('event'),
  name: z.string().min(1).max(128),
  payload: z.unknown(),
});

export const cancelFrameSchema = z.object({
  kind: z.literal('cancel'),
  id: callId,
});

export const frameSchema = z.union([requestFrameSchema, responseFrameSchema, eventFrameSchema, cancelFrameSchema]);

export type RequestFrame = z.infer<typeof requestFrameSchema>;
export type ResponseFrame = z.infer<typeof responseFrameSchema>;
export type EventFrame = z.infer<typeof eventFrameSchema>;
export type CancelFrame = z.infer<typeof cancelFrameSchema>;
export type Frame = z.infer<typeof frameSchema>;

/** Frames the renderer may send; the Node side accepts nothing else. */
export const inboundFrameSchema = z.union([requestFrameSchema, cancelFrameSchema]);
/** Frames the Node side sends. */
export const outboundFrameSchema = z.union([responseFrameSchema, eventFrameSchema]);

/** `payload.port` from a zod issue path, for E_BAD_REQUEST's `field`. */
export function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map((p) => String(p))].join('.');
}

/** One line naming the first problem, e.g. `payload.port: port must be from 1 to 65535`. */
export function describeIssues(prefix: string, error: z.ZodError): { field: string; message: string } {
  const first = error.issues[0];
  if (!first) return { field: prefix, message: `${prefix}: invalid` };
  const field = issuePath(prefix, first.path);
  return { field, message: `${field}: ${first.message}` };
}
