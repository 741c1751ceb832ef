import type { Client } from '../../shared/contract/client';
import { useConnection } from '../app/hooks';
import type { ConnectionManager, TransportLabel } from '../transport/connection';

interface Lab {
  connectionLost(): void;
  /** Transcripts, a request history, a running server…: what a reload would lose. */
  hasUnsavedWork(): boolean;
}

const labs = new WeakMap<ConnectionManager, Map<string, Lab>>();

/**
 * One lab per protocol for the page's lifetime, so sessions, servers and transcripts
 * stay when the user visits another tool and comes back. When the link to the Node
 * side breaks, the Node side closes every socket of this page: the lab is told.
 */
export function useLab<L extends Lab>(key: string, create: (client: Client, transport: TransportLabel) => L): L {
  const manager = useConnection();
  let byKey = labs.get(manager);
  if (!byKey) {
    byKey = new Map();
    labs.set(manager, byKey);
  }
  let lab = byKey.get(key) as L | undefined;
  if (!lab) {
    const created = create(manager.client, manager.transport);
    lab = created;
    byKey.set(key, created);
    let connected = manager.state.status === 'connected';
    manager.subscribe((state) => {
      const now = state.status === 'connected';
      if (connected && !now) created.connectionLost();
      connected = now;
    });
  }
  return lab;
}

/** True when any tool's lab has something a reload or close would lose. */
export function hasUnsavedWork(manager: ConnectionManager): boolean {
  for (const lab of labs.get(manager)?.values() ?? []) if (lab.hasUnsavedWork()) return true;
  return false;
}
