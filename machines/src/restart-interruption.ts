import type { FactEvent } from './events/fact-events.ts';
import type { ConversationSnapshot } from './replay.ts';
import { currentToolRun } from './timeline-queries.ts';

/**
 * After a server restart, the IO a conversation was waiting on is gone: a Claude stream or a tool
 * run. This is the fact the server appends to say so, or null once the conversation is at rest
 * (idle, awaiting approval, failed). The server appends these one by one, folding each, before it
 * starts a live actor, so the live actor never restarts IO on its own: a cut turn becomes a
 * failure the person can retry, and a cut tool run reaches Claude as failed.
 */
export function restartInterruption(snapshot: ConversationSnapshot): FactEvent | null {
  const { context } = snapshot;
  if (snapshot.matches('streaming') || snapshot.matches('resuming')) {
    return {
      type: 'assistant.failed',
      turn: context.turn,
      kind: 'interrupted',
      message:
        'The server restarted while Claude was answering; the partial answer is kept. Retry to ask again.',
      retryable: true,
    };
  }
  if (snapshot.matches('executingTool')) {
    const run = currentToolRun(context);
    if (run === undefined) return null;
    return {
      type: 'tool.failed',
      toolUseId: run.toolUseId,
      message:
        run.run?.status === 'running'
          ? 'The server restarted while the tool was running; it did not finish, and a partial file is not kept.'
          : 'The server restarted before the tool ran; it did not run.',
    };
  }
  return null;
}
