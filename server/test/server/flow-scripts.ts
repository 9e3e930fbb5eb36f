// What the server-process tests script Claude to say, and how they read what a client was shown.

import { createConversationMirror, type LogEntry } from '@tollgate/machines';
import { textAnswer } from '../claude-emulator/scripted-response.ts';
import type { WsTestClient } from './ws-test-client.ts';

/** The machine state a browser would show after folding these entries. */
export function mirrorOf(entries: LogEntry[]) {
  const mirror = createConversationMirror();
  for (const entry of entries) mirror.receive(entry);
  return mirror.actor.getSnapshot();
}

/** Waits until the client has the end of Claude's answer to request `turn`. */
export const turnCompleted = (c: WsTestClient, id: string, turn: number) =>
  c.waitForEntry(
    id,
    (e) => e.event.type === 'assistant.completed' && e.event.turn === turn,
    `the end of turn ${turn}`,
  );

/** Waits until the client's mirror of the conversation is awaiting approval. */
export const awaitingApproval = (c: WsTestClient, id: string) =>
  c.waitFor(
    () => (mirrorOf(c.entries(id)).matches('awaitingApproval') ? true : undefined),
    'awaitingApproval',
  );

export const writeCall = (id: string, path: string, content: string) => ({
  kind: 'stream' as const,
  blocks: [
    { type: 'text' as const, text: `I'll create ${path}.` },
    { type: 'tool_use' as const, id, name: 'write_file', input: { path, content } },
  ],
  stopReason: 'tool_use' as const,
});
export const say = (text: string) => textAnswer(text);
export const notes = Array.from({ length: 60 }, (_, i) => `- note ${i + 1}: ünïcödé ✓`).join('\n');

export const chunksOf = (entries: LogEntry[], toolUseId: string) =>
  entries.flatMap((e) =>
    e.event.type === 'tool.chunk' && e.event.toolUseId === toolUseId ? [e.event.text] : [],
  );

/** The text Claude streamed, delta by delta: of one turn, or of every turn. */
export const textDeltasOf = (entries: LogEntry[], turn?: number) =>
  entries.flatMap((e) =>
    e.event.type === 'assistant.text_delta' && (turn === undefined || e.event.turn === turn)
      ? [e.event.text]
      : [],
  );
