// Web-standard globals present in every runtime shared/ code runs in (Node 20+,
// Electron's renderer and main, browsers). Declared here so that shared/ is
// type-checked without Node or DOM types and cannot reach for anything else.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
declare function setTimeout(handler: () => void, timeout?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare class AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare const console: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
