import { createActor, fromCallback } from 'xstate';
import type { ClaudeMessageParam } from '../claude-message.ts';
import { commandRejection } from '../command-rejection.ts';
import {
  type ClaudeRequest,
  conversationMachine,
  type ToolRequest,
} from '../conversation-machine.ts';
import type { CommandRejection } from '../decision-rejection.ts';
import type { ConversationEvent } from '../events/conversation-event.ts';

/** A command the conversation refused, as the server answers it. */
export interface RefusedCommand extends CommandRejection {
  command: ConversationEvent['type'];
  commandId: string;
}

/**
 * A live conversation actor whose IO actors only record what they were asked and when they were
 * stopped: what a test needs to see that the machine starts and stops the right work. Commands are
 * judged first, as the server does: a refused one is recorded and never reaches the actor.
 */
export function startConversation() {
  const claudeRequests: ClaudeRequest[] = [];
  const claudeStopped: number[] = [];
  const toolRequests: ToolRequest[] = [];
  const toolStopped: string[] = [];
  const rejections: RefusedCommand[] = [];
  const machine = conversationMachine.provide({
    actors: {
      claude: fromCallback<ConversationEvent, ClaudeRequest>(({ input }) => {
        claudeRequests.push(input);
        return () => claudeStopped.push(input.turn);
      }),
      tool: fromCallback<ConversationEvent, ToolRequest>(({ input }) => {
        toolRequests.push(input);
        return () => toolStopped.push(input.toolUseId);
      }),
    },
  });
  const actor = createActor(machine);
  actor.start();
  const events: ConversationEvent[] = [];
  return {
    actor,
    events,
    claudeRequests,
    claudeStopped,
    toolRequests,
    toolStopped,
    rejections,
    send(...batch: ConversationEvent[]) {
      for (const event of batch) {
        if ('commandId' in event) {
          const rejection = commandRejection(actor.getSnapshot(), event);
          if (rejection) {
            rejections.push({ ...rejection, command: event.type, commandId: event.commandId });
            continue;
          }
        }
        events.push(event);
        actor.send(event);
      }
    },
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
    /** The messages of the latest Claude request. */
    lastMessages: (): ClaudeMessageParam[] => {
      const last = claudeRequests.at(-1);
      if (!last) throw new Error('Claude was never called');
      return last.messages;
    },
  };
}
