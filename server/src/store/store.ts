import type { CheckpointStore } from './checkpoint-store.ts';
import type { CommandLedger } from './command-ledger.ts';
import type { ConversationIndex } from './conversation-index.ts';
import type { ConversationLog } from './conversation-log.ts';

/**
 * Everything the server keeps, split along its jobs. One implementation may back all four with
 * one database (the SQLite file does), but each part is used, and tested, on its own.
 */
export interface Store {
  log: ConversationLog;
  conversations: ConversationIndex;
  checkpoints: CheckpointStore;
  commands: CommandLedger;
  close(): void;
}
