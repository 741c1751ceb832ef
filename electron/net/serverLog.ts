import type { Stamp } from '../../shared/net/contract';
import { ByteBudget } from './byteBudget';
import { Coalescer } from './coalescer';
import type { ResolvedNetOptions } from './options';

/** Entry kinds that only repeat what the counters already count, so a flood may leave some out. */
const defaultDroppableKinds: ReadonlySet<string> = new Set(['received', 'replied', 'discarded']);

/**
 * A built-in server's log on its way to the UI: entries are gathered into a few events,
 * data in them is kept up to the cap (a copy, never a view into Node's buffer pool),
 * and under a flood data entries beyond the per-event limit are left out but counted.
 */
export class ServerLog<Entry extends Stamp & { kind: string }> {
  private readonly coalescer: Coalescer<Entry>;
  private readonly budget: ByteBudget;
  private readonly maxEntries: number;
  private omitted = 0;
  private dirty = false;

  constructor(
    options: ResolvedNetOptions,
    keepLimit: number,
    emit: (entries: Entry[], omitted: number) => void,
    private readonly droppableKinds: ReadonlySet<Entry['kind']> = defaultDroppableKinds,
  ) {
    this.budget = new ByteBudget(keepLimit);
    this.maxEntries = options.coalescing.maxItems;
    this.coalescer = new Coalescer<Entry>({
      ...options.coalescing,
      // Droppable entries are refused before this is reached, so only the rare kinds can trigger it.
      maxItems: options.coalescing.maxItems * 2,
      flush: (entries) => {
        if (entries.length === 0 && !this.dirty) return;
        this.dirty = false;
        emit(entries, this.omitted);
      },
    });
  }

  /** A copy of the part of `data` the cap still allows. */
  keep(data: Uint8Array): Uint8Array {
    return data.slice(0, this.budget.take(data.byteLength));
  }

  add(entry: Entry, bytes = 0): void {
    if (this.droppableKinds.has(entry.kind) && this.coalescer.pending >= this.maxEntries) {
      this.omitted++;
      this.countersChanged();
      return;
    }
    this.coalescer.push(entry, bytes);
  }

  countersChanged(): void {
    this.dirty = true;
    this.coalescer.touch();
  }

  flush(): void {
    this.coalescer.flush();
  }

  close(): void {
    this.coalescer.close();
  }
}
