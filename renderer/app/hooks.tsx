import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useLayoutEffect,
  useRef,
  useSyncExternalStore,
} from 'react';
import type { Client } from '../../shared/contract/client';
import type { EventName, EventPayloadOf } from '../../shared/contract/index';
import type { ConnectionManager, ConnectionState } from '../transport/connection';

const ConnectionContext = createContext<ConnectionManager | undefined>(undefined);

export function ConnectionProvider({ manager, children }: { manager: ConnectionManager; children?: ReactNode }) {
  return <ConnectionContext.Provider value={manager}>{children}</ConnectionContext.Provider>;
}

export function useConnection(): ConnectionManager {
  const manager = useContext(ConnectionContext);
  if (!manager) throw new Error('useConnection() needs a <ConnectionProvider> above it');
  return manager;
}

/** The typed client. The same object for the page's lifetime, across reconnects. */
export function useClient(): Client {
  return useConnection().client;
}

export function useConnectionState(): ConnectionState {
  const manager = useConnection();
  return useSyncExternalStore(
    manager.subscribe,
    () => manager.state,
    () => manager.state,
  );
}

/**
 * Calls `listener` for every `name` event. Subscribes once per client and event name,
 * not per render, and always calls the latest `listener`; the subscription survives
 * reconnects because the client keeps it.
 */
export function useEvent<E extends EventName>(name: E, listener: (payload: EventPayloadOf<E>) => void): void {
  const client = useClient();
  const latest = useRef(listener);
  useLayoutEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    const unsubscribe = client.on(name, (payload) => latest.current(payload));
    return () => {
      unsubscribe();
    };
  }, [client, name]);
}
