/**
 * Stable error codes. Code paths and tests match on `code`; `message` is for people
 * and says what happened and what to try.
 */
export const errorCodes = [
  'E_BAD_REQUEST',
  'E_UNKNOWN_METHOD',
  'E_CANCELLED',
  'E_TIMEOUT',
  'E_DISCONNECTED',
  'E_INTERNAL',
] as const;

export type BuiltinErrorCode = (typeof errorCodes)[number];

/** Services add their own codes (E_REFUSED, E_ADDR_IN_USE, ...); the wire carries any string. */
export type ErrorCode = BuiltinErrorCode | (string & {});

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** For E_BAD_REQUEST: the path of the offending field, e.g. `payload.port`. */
  field?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

export class PlaygroundError extends Error implements ErrorInfo {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'PlaygroundError';
    this.code = info.code;
    this.field = info.field;
    this.details = info.details;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.field !== undefined) info.field = this.field;
    if (this.details !== undefined) info.details = this.details;
    return info;
  }
}

export function isPlaygroundError(value: unknown): value is PlaygroundError {
  return value instanceof PlaygroundError;
}
