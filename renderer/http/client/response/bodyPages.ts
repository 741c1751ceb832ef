import { concatBytes } from '../../../../shared/bytes';

/**
 * Bodies stay on the Node side; the viewer reads the part on screen through
 * `http.body` slices. Pages are cached (a few MiB in all) so scrolling back and forth
 * or switching views does not fetch again; a page still filling is not cached.
 */

/** What the viewer shows at once and fetches in one go. */
export const pageBytes = 1024 * 1024;

export type FetchSlice = (exchangeId: string, offset: number, length: number, decoded: boolean) => Promise<Uint8Array>;

export class BodyPages {
  private readonly cache = new Map<string, Uint8Array>();
  private cachedBytes = 0;

  constructor(
    private readonly fetchSlice: FetchSlice,
    /** Memory the cache may hold; a larger read is returned but not kept. */
    private readonly maxCacheBytes = 16 * pageBytes,
    /** The most one `http.body` call returns. */
    private readonly sliceBytes = pageBytes,
  ) {}

  /** Bytes [offset, offset + length) of the body (fewer at its end). */
  async read(exchangeId: string, offset: number, length: number, decoded: boolean): Promise<Uint8Array> {
    const key = `${exchangeId}\u0000${decoded ? 'd' : 'r'}\u0000${offset}\u0000${length}`;
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const parts: Uint8Array[] = [];
    let at = offset;
    while (at < offset + length) {
      const want = Math.min(this.sliceBytes, offset + length - at);
      const part = await this.fetchSlice(exchangeId, at, want, decoded);
      parts.push(part);
      at += part.length;
      if (part.length < want) break;
    }
    const bytes = parts.length === 1 ? (parts[0] as Uint8Array) : concatBytes(parts);
    if (bytes.length === length && length <= this.maxCacheBytes) {
      this.cache.set(key, bytes);
      this.cachedBytes += length;
      for (const [oldKey, old] of this.cache) {
        if (this.cachedBytes <= this.maxCacheBytes) break;
        this.cache.delete(oldKey);
        this.cachedBytes -= old.length;
      }
    }
    return bytes;
  }

  forget(exchangeId: string): void {
    for (const [key, bytes] of [...this.cache]) {
      if (!key.startsWith(`${exchangeId}\u0000`)) continue;
      this.cache.delete(key);
      this.cachedBytes -= bytes.length;
    }
  }
}
