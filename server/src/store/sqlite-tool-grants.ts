import type { Database } from 'better-sqlite3';
import { assertOpen } from './sqlite-connection.ts';
import {
  conversationGrantFromRow,
  type GrantRow,
  grantFromRow,
  ownerKey,
  parseGrantId,
  type ToolGrants,
} from './tool-grants.ts';

/** The grants in the SQLite file's `tool_grants` table. */
export function createSqliteToolGrants(db: Database): ToolGrants {
  const insert = db.prepare(
    `INSERT INTO tool_grants (owner, tool_name, server, conversation_id, seq, granted_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner, server, tool_name) DO NOTHING`,
  );
  const byKey = db.prepare<[string, string, string], GrantRow>(
    'SELECT * FROM tool_grants WHERE owner = ? AND server = ? AND tool_name = ?',
  );
  const byOwner = db.prepare<[string], GrantRow>(
    'SELECT * FROM tool_grants WHERE owner = ? ORDER BY granted_at DESC, conversation_id, seq',
  );
  const byId = db.prepare<[string, string, number], GrantRow>(
    'SELECT * FROM tool_grants WHERE owner = ? AND conversation_id = ? AND seq = ?',
  );
  const inConversations = db.prepare<
    [string | null],
    { conversation_id: string; tool_name: string; server: string; seq: number; granted_at: number }
  >(
    `SELECT g.* FROM conversation_grants g JOIN conversations c ON c.id = g.conversation_id
     WHERE c.owner IS ? ORDER BY g.granted_at DESC, g.conversation_id, g.seq`,
  );
  const remove = db.prepare(
    'DELETE FROM tool_grants WHERE owner = ? AND conversation_id = ? AND seq = ?',
  );
  return {
    async add(grant) {
      assertOpen(db);
      const owner = ownerKey(grant.owner);
      insert.run(
        owner,
        grant.toolName,
        grant.server,
        grant.conversationId,
        grant.seq,
        grant.grantedAt,
      );
      return grantFromRow(byKey.get(owner, grant.server, grant.toolName)!);
    },
    async list(owner) {
      assertOpen(db);
      return byOwner.all(ownerKey(owner)).map(grantFromRow);
    },
    async find(owner, server, toolName) {
      assertOpen(db);
      const row = byKey.get(ownerKey(owner), server, toolName);
      return row ? grantFromRow(row) : null;
    },
    async listInConversations(owner) {
      assertOpen(db);
      return inConversations.all(owner).map(conversationGrantFromRow);
    },
    async revoke(owner, id) {
      assertOpen(db);
      const at = parseGrantId(id);
      if (at === null) return null;
      const row = byId.get(ownerKey(owner), at.conversationId, at.seq);
      if (!row) return null;
      remove.run(ownerKey(owner), at.conversationId, at.seq);
      return grantFromRow(row);
    },
  };
}
