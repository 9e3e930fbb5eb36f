import type { Pool } from 'pg';
import type { Owner } from './conversation-index.ts';
import {
  conversationGrantFromRow,
  type GrantRow,
  grantFromRow,
  ownerKey,
  parseGrantId,
  type ToolGrants,
} from './tool-grants.ts';

/** The grants in the `tool_grants` table every instance shares. */
export function createPostgresToolGrants({
  pool,
  assertOpen,
}: {
  pool: Pool;
  assertOpen(): void;
}): ToolGrants {
  const find = async (owner: Owner, server: string, toolName: string) => {
    const { rows } = await pool.query<GrantRow>(
      'SELECT * FROM tool_grants WHERE owner = $1 AND server = $2 AND tool_name = $3',
      [ownerKey(owner), server, toolName],
    );
    return rows[0] ? grantFromRow(rows[0]) : null;
  };
  return {
    async listInConversations(owner) {
      assertOpen();
      const { rows } = await pool.query<{
        conversation_id: string;
        tool_name: string;
        server: string;
        seq: number;
        granted_at: string;
      }>(
        `SELECT g.* FROM conversation_grants g JOIN conversations c ON c.id = g.conversation_id
         WHERE c.owner IS NOT DISTINCT FROM $1
         ORDER BY g.granted_at DESC, g.conversation_id COLLATE "C", g.seq`,
        [owner],
      );
      return rows.map(conversationGrantFromRow);
    },
    async add(grant) {
      assertOpen();
      await pool.query(
        `INSERT INTO tool_grants (owner, tool_name, server, conversation_id, seq, granted_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (owner, server, tool_name) DO NOTHING`,
        [
          ownerKey(grant.owner),
          grant.toolName,
          grant.server,
          grant.conversationId,
          grant.seq,
          grant.grantedAt,
        ],
      );
      const kept = await find(grant.owner, grant.server, grant.toolName);
      if (!kept) throw new Error('a grant just written was not found');
      return kept;
    },
    async list(owner) {
      assertOpen();
      const { rows } = await pool.query<GrantRow>(
        'SELECT * FROM tool_grants WHERE owner = $1 ORDER BY granted_at DESC, conversation_id, seq',
        [ownerKey(owner)],
      );
      return rows.map(grantFromRow);
    },
    async find(owner, server, toolName) {
      assertOpen();
      return find(owner, server, toolName);
    },
    async revoke(owner, id) {
      assertOpen();
      const at = parseGrantId(id);
      if (at === null) return null;
      const { rows } = await pool.query<GrantRow>(
        'DELETE FROM tool_grants WHERE owner = $1 AND conversation_id = $2 AND seq = $3 RETURNING *',
        [ownerKey(owner), at.conversationId, at.seq],
      );
      return rows[0] ? grantFromRow(rows[0]) : null;
    },
  };
}
