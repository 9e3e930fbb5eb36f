import type { CheckpointStore } from './checkpoint-store.ts';
import type { Cluster } from './cluster.ts';
import type { CommandLedger } from './command-ledger.ts';
import type { ConversationIndex } from './conversation-index.ts';
import type { ConversationLog } from './conversation-log.ts';
import type { ToolGrants } from './tool-grants.ts';

/**
 * Everything the server keeps, split along its jobs. One implementation may back all four with
 * one database (the SQLite file does), but each part is used, and tested, on its own.
 */
export interface Store {
  log: ConversationLog;
  conversations: ConversationIndex;
  checkpoints: CheckpointStore;
  commands: CommandLedger;
  /** "Always allow everywhere": each person's standing grants (tool-grants.ts). */
  grants: ToolGrants;
  /** The instances sharing this store; a cluster of one for a store only one process opens. */
  cluster: Cluster;
  close(): Promise<void>;
}
