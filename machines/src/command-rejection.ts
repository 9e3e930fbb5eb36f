import type { ConversationContext } from './conversation-context.ts';
import { type CommandRejection, decisionRejection } from './decision-rejection.ts';
import type { CommandEvent } from './events/command-events.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import { pendingToolCalls } from './timeline-queries.ts';

/** The slice of a machine snapshot a judgement reads. */
export interface JudgedSnapshot {
  context: ConversationContext;
  can(event: ConversationEvent): boolean;
}

/**
 * Whether the conversation, as it is now, takes this command: null if it does, otherwise why
 * not. The machine decides (`snapshot.can`: a transition whose guards pass); the reasons are
 * only words for the person. The server asks before anything is written, so a refused command
 * never reaches the log.
 */
export function commandRejection(
  snapshot: JudgedSnapshot,
  command: CommandEvent,
): CommandRejection | null {
  if (snapshot.can(command)) return null;
  const { context } = snapshot;
  switch (command.type) {
    case 'tool.approve':
    case 'tool.deny':
      return (
        decisionRejection(context, command.toolUseId) ?? {
          code: 'already_decided',
          message: 'That tool call cannot be decided now.',
        }
      );
    case 'user.message':
      return {
        code: 'busy',
        message:
          pendingToolCalls(context).length > 0
            ? 'Claude is waiting for your decision on a tool call: approve or deny it, or press Stop first.'
            : 'Claude is still working on this conversation: wait, or press Stop first.',
      };
    case 'turn.stop':
      return { code: 'nothing_to_stop', message: 'Nothing is running in this conversation.' };
    case 'turn.retry':
      return { code: 'nothing_to_retry', message: 'The last turn did not fail; nothing to retry.' };
    case 'policy.revoke':
      return {
        code: 'not_always_allowed',
        message: `${command.toolName} is not always allowed in this conversation.`,
      };
    case 'conversation.renamed':
      // Every state takes a rename; this is only reached if a later rule says otherwise.
      return { code: 'busy', message: 'This conversation cannot be renamed right now.' };
    case 'conversation.settings_changed':
      // Settings apply to whole turns: a tool-use loop is one turn (one model, one thinking).
      return {
        code: 'busy',
        message:
          pendingToolCalls(context).length > 0
            ? 'The settings change between turns, and Claude is waiting for your decision on a tool call: approve or deny it, or press Stop first.'
            : 'The settings change between turns, and Claude is still working on this one: wait, or press Stop first.',
      };
  }
}
