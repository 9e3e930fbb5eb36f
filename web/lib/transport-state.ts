import type {
  ClaudeStatus,
  ConversationSummary,
  ErrorCode,
  McpServerStatus,
  ToolInfo,
} from '@tollgate/machines';

// What the page knows about its connection, apart from the conversations' machines (those live in
// the mirrors). The client replaces this object on every change, so React can compare by identity.

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ServerNotice {
  /** Local id, for dismissing. */
  id: number;
  code: ErrorCode | 'bad_server_message';
  message: string;
  conversationId: string | null;
  commandId: string | null;
}

export interface TransportState {
  connection: ConnectionStatus;
  /** While reconnecting: when the next attempt starts (epoch ms), or null if one is under way. */
  retryAt: number | null;
  /** Failed attempts since the last successful connection. */
  failedAttempts: number;
  /** Set when the server refused the page (token, origin): retrying would not help. */
  refusal: string | null;
  claude: ClaudeStatus | null;
  tools: ToolInfo[];
  mcpServers: McpServerStatus[];
  /** Null until the server has sent the list. */
  conversations: ConversationSummary[] | null;
  /** Conversations whose catch-up is complete on the current connection. */
  synced: readonly string[];
  /** Conversations the server said do not exist. */
  missing: readonly string[];
  /** Commands sent but not yet seen in the log or refused. */
  pendingCommandIds: readonly string[];
  notices: readonly ServerNotice[];
}

export const initialTransportState: TransportState = {
  connection: 'connecting',
  retryAt: null,
  failedAttempts: 0,
  refusal: null,
  claude: null,
  tools: [],
  mcpServers: [],
  conversations: null,
  synced: [],
  missing: [],
  pendingCommandIds: [],
  notices: [],
};
