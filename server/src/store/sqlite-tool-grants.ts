import type { Database } from 'better-sqlite3';
import type { Owner } from './conversation-index.ts';
import { assertOpen } from './sqlite-connection.ts';
import {
  type ConversationGrant,
  grantId,
  parseGrantId,
  type ToolGrant,
  type ToolGrants,
} from './tool-grants.ts';

interface Row {
  owner: string;
  tool_name: string;
  server: string;
  conversation_id: string;
  seq: number;
  granted_at: number;
}

// The single owner (null) is kept as '' so that the key (owner, server, tool) is unique for it too.
const ownerKey = (owner: Owner) => owner ?? '';

function toGrant(row: Row): ToolGrant {
  return {
    id: grantId(row.conversation_id, row.seq),
    owner: row.owner === '' ? null : row.owner,
    toolName: row.tool_name,
    server: row.server,
    conversationId: row.conversation_id,
    seq: row.seq,
    grantedAt: row.granted_at,
  };
}

/** The grants in the SQLite file's `tool_grants` table. */
export function createSqliteToolGrants(db: Database): ToolGrants {
  const insert = db.prepare(
    `INSERT INTO tool_grants (owner, tool_name, server, conversation_id, seq, granted_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner, server, tool_name) DO NOTHING`,
  );
  const byKey = db.prepare<[string, string, string], Row>(
    'SELECT * FROM tool_grants WHERE owner = ? AND server = ? AND tool_name = ?',
  );
  const byOwner = db.prepare<[string], Row>(
    'SELECT * FROM tool_grants WHERE owner = ? ORDER BY granted_at DESC, conversation_id, seq',
  );
  const byId = db.prepare<[string, string, number], Row>(
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
      return toGrant(byKey.get(owner, grant.server, grant.toolName)!);
    },
    async list(owner) {
      assertOpen(db);
      return byOwner.all(ownerKey(owner)).map(toGrant);
    },
    async find(owner, server, toolName) {
      assertOpen(db);
      const row = byKey.get(ownerKey(owner), server, toolName);
      return row ? toGrant(row) : null;
    },
    async listInConversations(owner) {
      assertOpen(db);
      return inConversations.all(owner).map(
        (row): ConversationGrant => ({
          id: grantId(row.conversation_id, row.seq),
          conversationId: row.conversation_id,
          toolName: row.tool_name,
          server: row.server === '' ? null : row.server,
          seq: row.seq,
          grantedAt: row.granted_at,
        }),
      );
    },
    async revoke(owner, id) {
      assertOpen(db);
      const at = parseGrantId(id);
      if (at === null) return null;
      const row = byId.get(ownerKey(owner), at.conversationId, at.seq);
      if (!row) return null;
      remove.run(ownerKey(owner), at.conversationId, at.seq);
      return toGrant(row);
    },
  };
}
