import type { ConversationSummary } from '@tollgate/machines';

// Export and import go over plain HTTP, behind the same access as the page: an export is as large
// as its conversation, far above what one WebSocket message may carry (docs/protocol.md).

/** Where a conversation's export downloads from: a readable transcript, or its log as JSON. */
export function exportHref(conversationId: string, format: 'md' | 'json'): string {
  return `/api/conversations/${encodeURIComponent(conversationId)}/export.${format}`;
}

/** The server's answer to an import: the new conversation, or why there is none. */
export type ImportOutcome =
  | { ok: true; conversation: ConversationSummary }
  | { ok: false; message: string };

/**
 * Sends a JSON export to the server, which checks every entry, folds them and appends them to a
 * new conversation of this person's. A file that is not JSON is refused here, unsent.
 */
export async function importConversation(
  text: string,
  send: typeof fetch = fetch,
): Promise<ImportOutcome> {
  try {
    JSON.parse(text);
  } catch {
    return { ok: false, message: 'The file is not JSON.' };
  }
  let response: Response;
  try {
    response = await send('/api/conversations/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, message: 'The server could not be reached.' };
  }
  const answer = (await response.json().catch(() => null)) as {
    conversation?: ConversationSummary;
    error?: string;
  } | null;
  if (response.ok && answer?.conversation) return { ok: true, conversation: answer.conversation };
  return { ok: false, message: answer?.error ?? `The server answered ${response.status}.` };
}
