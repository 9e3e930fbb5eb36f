import type { Pool } from 'pg';
import type { CommandLedger } from './command-ledger.ts';

/** The command ledger: the `commands` rows the appends write. */
export function createPostgresCommandLedger({
  pool,
  assertOpen,
}: {
  pool: Pool;
  assertOpen(): void;
}): CommandLedger {
  return {
    async has(conversationId, commandId) {
      assertOpen();
      const { rowCount } = await pool.query(
        'SELECT 1 FROM commands WHERE conversation_id = $1 AND command_id = $2',
        [conversationId, commandId],
      );
      return rowCount === 1;
    },
  };
}
