const counters = new Map<string, number>();

/**
 * Readable ids (`tcp-3`, `udpServer-1`) unique within this process, so ids seen in a
 * log or a saved transcript never name two different sessions of one run.
 */
export function nextId(prefix: string): string {
  const n = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, n);
  return `${prefix}-${n}`;
}
