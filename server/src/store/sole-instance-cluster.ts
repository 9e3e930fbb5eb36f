import { randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.ts';

/**
 * The cluster of a store that one process opens alone (the SQLite file, locked to its process):
 * this instance owns every conversation, no other instance appends or relays, and the store is
 * never lost to it.
 */
export function soleInstanceCluster(): Cluster {
  const instanceId = randomUUID();
  const none = () => () => {};
  return {
    instanceId,
    claim: async () => true,
    release: async () => {},
    ownerOf: async () => instanceId,
    onLogChanged: none,
    relay: async () => {
      throw new Error('a cluster of one has no other instance to relay to');
    },
    serve: () => {},
    healthy: () => true,
    onLost: none,
    onRestored: none,
  };
}
