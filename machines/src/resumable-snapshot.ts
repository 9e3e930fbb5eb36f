import { inertConversationMachine } from './inert-conversation-machine.ts';
import type { ConversationSnapshot } from './replay.ts';

interface PersistedChild {
  snapshot?: { status?: string; input?: unknown };
}

/**
 * What a live actor starts from after a rebuild: the folded snapshot, persisted, with the approval
 * timer running again. XState restores an invoked actor as the snapshot has it, and a replay's
 * actors stopped with the replay (or, from a plain snapshot, come back without their input), so
 * the timer of calls still waiting would never fire. Marked active, it starts again with the
 * deadline it was given, and reports at once if that has passed. Nothing else can be running in a
 * folded snapshot the server starts from: it is at rest (restartInterruption).
 */
export function resumableSnapshot(snapshot: ConversationSnapshot) {
  const persisted = inertConversationMachine.getPersistedSnapshot(snapshot) as ReturnType<
    typeof inertConversationMachine.getPersistedSnapshot
  > & { children?: Record<string, PersistedChild> };
  const timer = persisted.children?.approvalTimer?.snapshot;
  if (timer && timer.status === 'stopped') timer.status = 'active';
  return persisted;
}
