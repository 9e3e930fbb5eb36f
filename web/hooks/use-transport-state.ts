import { useSyncExternalStore } from 'react';
import type { TollgateClient } from '../lib/tollgate-client.ts';
import type { TransportState } from '../lib/transport-state.ts';

/** The connection's state, re-rendering when the client replaces it. */
export function useTransportState(client: TollgateClient): TransportState {
  return useSyncExternalStore(client.subscribe, client.getState, client.getState);
}
