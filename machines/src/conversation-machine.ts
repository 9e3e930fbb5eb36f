import { and, assign, fromCallback, setup, spawnChild, stopChild } from 'xstate';
import {
  type ApprovalTimerRequest,
  expirePendingCalls,
  startApprovalClock,
  stopApprovalClock,
} from './approval-expiry.ts';
import type { ClaudeMessageParam } from './claude-message.ts';
import * as update from './context-updates.ts';
import { type ConversationContext, initialConversationContext } from './conversation-context.ts';
import { decisionRejection } from './decision-rejection.ts';
import type { ToolInput } from './events/command-events.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import type { ConversationSettings } from './events/settings-events.ts';
import {
  currentAssistantItem,
  currentToolRun,
  effectiveToolInput,
  findToolCall,
  hasApprovedToolCall,
  offeredToolUses,
  pendingToolCalls,
  toolRunsLeft,
} from './timeline-queries.ts';
import { toClaudeMessages } from './to-claude-messages.ts';

/** Stamped on every log entry; bump it when a change makes old logs fold differently. */
export const MACHINE_VERSION = 1;

/**
 * What a state means, for whoever needs to know without naming states: `atRest`, nothing runs
 * (a checkpoint may be taken, a dormant conversation stopped); `working`, Claude or a tool is at
 * work (Stop applies); `acceptsMessages`, a person's new message starts a turn.
 */
export type ConversationTag = 'atRest' | 'working' | 'acceptsMessages';

/** What the Claude actor is given: stream one assistant turn for these messages. */
export interface ClaudeRequest {
  turn: number;
  messages: ClaudeMessageParam[];
  /**
   * The model, thinking and system prompt the person chose for the conversation, or null for the
   * server's defaults (`effectiveSettings` in conversation-settings.ts fills them in).
   */
  settings: ConversationSettings | null;
}

/** What the tool actor is given: run this one approved call. */
export interface ToolRequest {
  toolUseId: string;
  name: string;
  input: ToolInput;
}

// The machine's invoked actors only start and stop IO. They report what happens as fact events
// through the server's dispatch, which logs each one and hands it to the machine, so the machine
// never depends on an actor's own completion event and a replay needs no actor at all.
// An actor is stopped whenever the machine leaves its work, finished or not: its cleanup must
// cancel only what is still running (aborting a finished stream or run does nothing).
// The defaults here do nothing; the server provides real ones with `machine.provide()`.
export const inertActors = {
  claude: fromCallback<ConversationEvent, ClaudeRequest>(() => undefined),
  tool: fromCallback<ConversationEvent, ToolRequest>(() => undefined),
  approvalTimer: fromCallback<ConversationEvent, ApprovalTimerRequest>(() => undefined),
};

type Event = ConversationEvent;
type Of<T extends Event['type']> = Extract<Event, { type: T }>;

function ofType<T extends Event['type']>(event: Event, type: T): Of<T> {
  if (event.type !== type) throw new Error(`expected ${type}, got ${event.type}`);
  return event as Of<T>;
}

export const conversationMachine = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as ConversationEvent,
    tags: {} as ConversationTag,
  },
  actors: inertActors,
  guards: {
    isCurrentTurn: ({ context, event }) => 'turn' in event && event.turn === context.turn,
    asksForTools: ({ context, event }) => {
      const item = currentAssistantItem(context);
      return (
        event.type === 'assistant.completed' &&
        item !== undefined &&
        offeredToolUses(item, event.stopReason).length > 0
      );
    },
    isPendingDecision: ({ context, event }) =>
      (event.type === 'tool.approve' ||
        event.type === 'tool.deny' ||
        event.type === 'tool.policy_decided') &&
      decisionRejection(context, event.toolUseId) === null,
    allDecided: ({ context }) => pendingToolCalls(context).length === 0,
    somePending: ({ context }) => pendingToolCalls(context).length > 0,
    someApproved: ({ context }) => hasApprovedToolCall(context),
    isCurrentRun: ({ context, event }) =>
      'toolUseId' in event && currentToolRun(context)?.toolUseId === event.toolUseId,
    isNextChunk: ({ context, event }) =>
      event.type === 'tool.chunk' &&
      currentToolRun(context)?.toolUseId === event.toolUseId &&
      findToolCall(context, event.toolUseId)?.run?.chunks === event.index,
    moreRunsAfterThis: ({ context }) => toolRunsLeft(context) > 1,
    isAlwaysAllowed: ({ context, event }) =>
      event.type === 'policy.revoke' && context.alwaysAllowed.includes(event.toolName),
  },
  actions: {
    addUserMessage: assign(({ context, event }) =>
      update.addUserMessage(context, ofType(event, 'user.message')),
    ),
    beginAssistantTurn: assign(({ context }) => update.beginAssistantTurn(context)),
    startClaude: spawnChild('claude', {
      id: 'claude',
      // The messages are derived when the actor reads them: a replay or the browser, whose
      // actors read nothing, never pays for deriving a request it will not send.
      input: ({ context }): ClaudeRequest => {
        let messages: ClaudeMessageParam[] | undefined;
        return {
          turn: context.turn,
          settings: context.settings ?? null,
          get messages() {
            messages ??= toClaudeMessages(context);
            return messages;
          },
        };
      },
    }),
    stopClaude: stopChild('claude'),
    changeSettings: assign(({ context, event }) =>
      update.changeSettings(context, ofType(event, 'conversation.settings_changed')),
    ),
    recordAssistantStarted: assign(({ context, event }) =>
      update.recordAssistantStarted(context, ofType(event, 'assistant.started')),
    ),
    appendTextDelta: assign(({ context, event }) =>
      update.appendTextDelta(context, ofType(event, 'assistant.text_delta')),
    ),
    appendThinkingDelta: assign(({ context, event }) =>
      update.appendThinkingDelta(context, ofType(event, 'assistant.thinking_delta')),
    ),
    signThinking: assign(({ context, event }) =>
      update.signThinking(context, ofType(event, 'assistant.thinking_signature')),
    ),
    addRedactedThinking: assign(({ context, event }) =>
      update.addRedactedThinking(context, ofType(event, 'assistant.redacted_thinking')),
    ),
    appendToolInputDelta: assign(({ context, event }) =>
      update.appendToolInputDelta(context, ofType(event, 'assistant.tool_input_delta')),
    ),
    completeToolUse: assign(({ context, event }) =>
      update.completeToolUse(context, ofType(event, 'assistant.tool_use')),
    ),
    completeAssistantTurn: assign(({ context, event }) =>
      update.completeAssistantTurn(context, ofType(event, 'assistant.completed')),
    ),
    startApprovalClock: assign(({ context, event }) =>
      startApprovalClock(context, ofType(event, 'assistant.completed')),
    ),
    stopApprovalClock: assign(({ context }) => stopApprovalClock(context)),
    expirePendingCalls: assign(({ context }) => expirePendingCalls(context)),
    failAssistantTurn: assign(({ context, event }) =>
      update.failAssistantTurn(context, ofType(event, 'assistant.failed')),
    ),
    stopAssistantTurn: assign(({ context }) => update.stopAssistantTurn(context)),
    approveToolCall: assign(({ context, event }) =>
      update.approveToolCall(context, ofType(event, 'tool.approve')),
    ),
    denyToolCall: assign(({ context, event }) =>
      update.denyToolCall(context, ofType(event, 'tool.deny')),
    ),
    applyPolicyDecision: assign(({ context, event }) =>
      update.applyPolicyDecision(context, ofType(event, 'tool.policy_decided')),
    ),
    renameConversation: assign(({ event }) => ({
      title: ofType(event, 'conversation.renamed').title,
    })),
    revokeAlwaysAllow: assign(({ context, event }) =>
      update.revokeAlwaysAllow(context, ofType(event, 'policy.revoke')),
    ),
    cancelOpenToolCalls: assign(({ context }) => update.cancelOpenToolCalls(context)),
    markToolStarted: assign(({ context, event }) =>
      update.markToolStarted(context, ofType(event, 'tool.started')),
    ),
    appendToolChunk: assign(({ context, event }) =>
      update.appendToolChunk(context, ofType(event, 'tool.chunk')),
    ),
    recordToolProgress: assign(({ context, event }) =>
      update.recordToolProgress(context, ofType(event, 'tool.progress')),
    ),
    completeToolRun: assign(({ context, event }) =>
      update.completeToolRun(context, ofType(event, 'tool.completed')),
    ),
    failToolRun: assign(({ context, event }) =>
      update.failToolRun(context, ofType(event, 'tool.failed')),
    ),
  },
}).createMachine({
  id: 'conversation',
  context: initialConversationContext,
  initial: 'idle',
  // A command no state takes has no transition at all, so `snapshot.can()` is false for it and
  // the server refuses it before it reaches the log (command-rejection.ts says why).
  on: {
    'policy.revoke': { guard: 'isAlwaysAllowed', actions: 'revokeAlwaysAllow' },
    // A name changes nothing Claude sees, so any state takes it and stays where it is.
    'conversation.renamed': { actions: 'renameConversation' },
  },
  states: {
    idle: {
      tags: ['atRest', 'acceptsMessages'],
      description:
        'Nothing is running. The person can send a message; Claude is then called with the whole history.',
      on: {
        'user.message': {
          target: 'streaming',
          actions: ['addUserMessage', 'beginAssistantTurn', 'startClaude'],
        },
        // Between turns only: a tool-use loop is one turn, with one model and one thinking.
        'conversation.settings_changed': { actions: 'changeSettings' },
      },
    },
    streaming: {
      tags: ['working'],
      description:
        "Claude's turn streams in: text, thinking and tool calls grow delta by delta. It ends complete (to idle, or to awaitingApproval when Claude asked for tools), failed, or stopped by the person with the partial text kept.",
      exit: 'stopClaude',
      on: {
        'assistant.started': { guard: 'isCurrentTurn', actions: 'recordAssistantStarted' },
        'assistant.text_delta': { guard: 'isCurrentTurn', actions: 'appendTextDelta' },
        'assistant.thinking_delta': { guard: 'isCurrentTurn', actions: 'appendThinkingDelta' },
        'assistant.thinking_signature': { guard: 'isCurrentTurn', actions: 'signThinking' },
        'assistant.redacted_thinking': { guard: 'isCurrentTurn', actions: 'addRedactedThinking' },
        'assistant.tool_input_delta': { guard: 'isCurrentTurn', actions: 'appendToolInputDelta' },
        'assistant.tool_use': { guard: 'isCurrentTurn', actions: 'completeToolUse' },
        'assistant.completed': [
          {
            guard: and(['isCurrentTurn', 'asksForTools']),
            target: 'awaitingApproval',
            actions: ['completeAssistantTurn', 'startApprovalClock'],
          },
          { guard: 'isCurrentTurn', target: 'idle', actions: 'completeAssistantTurn' },
        ],
        'assistant.failed': {
          guard: 'isCurrentTurn',
          target: 'failed',
          actions: 'failAssistantTurn',
        },
        'turn.stop': { target: 'idle', actions: 'stopAssistantTurn' },
      },
    },
    awaitingApproval: {
      tags: ['atRest'],
      description:
        'Claude asked for one or more tool calls and nothing runs until the person decides each one: approve (once or always for this tool), approve with edited arguments, or deny with an optional reason. Calls of an always-allowed tool pass through without stopping here. With APPROVAL_TTL set, the calls nobody decides before the deadline expire, and Claude hears they did not run, as for a denial.',
      always: [
        { guard: and(['allDecided', 'someApproved']), target: 'executingTool' },
        { guard: 'allDecided', target: 'resuming' },
      ],
      // APPROVAL_TTL: the server's timer reports the deadline (approval-expiry.ts); without one
      // it does nothing. A replay's and the page's timers never fire.
      invoke: {
        id: 'approvalTimer',
        src: 'approvalTimer',
        input: ({ context }): ApprovalTimerRequest => ({
          turn: context.turn,
          expiresAt: context.approvalExpiresAt ?? null,
        }),
      },
      on: {
        'approval.expired': {
          guard: and(['isCurrentTurn', 'somePending']),
          actions: 'expirePendingCalls',
        },
        'tool.approve': { guard: 'isPendingDecision', actions: 'approveToolCall' },
        'tool.deny': { guard: 'isPendingDecision', actions: 'denyToolCall' },
        // A rule of POLICY_FILE decided the call (the server's policy step); nobody was asked.
        'tool.policy_decided': { guard: 'isPendingDecision', actions: 'applyPolicyDecision' },
        'turn.stop': { target: 'idle', actions: 'cancelOpenToolCalls' },
      },
    },
    executingTool: {
      tags: ['working'],
      description:
        'The approved calls run one after the other. Each reports its start, its chunks in order and its result or failure; stop cancels the running call and the queued ones.',
      invoke: {
        id: 'tool',
        src: 'tool',
        input: ({ context }): ToolRequest => {
          const call = currentToolRun(context);
          if (call === undefined) throw new Error('executingTool entered with no approved call');
          return { toolUseId: call.toolUseId, name: call.name, input: effectiveToolInput(call) };
        },
      },
      on: {
        'tool.started': { guard: 'isCurrentRun', actions: 'markToolStarted' },
        'tool.chunk': { guard: 'isNextChunk', actions: 'appendToolChunk' },
        'tool.progress': { guard: 'isCurrentRun', actions: 'recordToolProgress' },
        'tool.completed': [
          {
            guard: and(['isCurrentRun', 'moreRunsAfterThis']),
            target: 'executingTool',
            reenter: true,
            actions: 'completeToolRun',
          },
          // awaitingApproval routes on: to resuming, or it waits if a revoked grant left a call pending.
          { guard: 'isCurrentRun', target: 'awaitingApproval', actions: 'completeToolRun' },
        ],
        'tool.failed': [
          {
            guard: and(['isCurrentRun', 'moreRunsAfterThis']),
            target: 'executingTool',
            reenter: true,
            actions: 'failToolRun',
          },
          { guard: 'isCurrentRun', target: 'awaitingApproval', actions: 'failToolRun' },
        ],
        'turn.stop': { target: 'idle', actions: 'cancelOpenToolCalls' },
      },
    },
    resuming: {
      tags: ['working'],
      description:
        "Every call of the turn is settled. Their results (the tools' output, or an error with a human reason for denied, failed and cancelled calls) go back to Claude together, and the machine waits for Claude's reply to start.",
      entry: ['stopApprovalClock', 'beginAssistantTurn', 'startClaude'],
      on: {
        'assistant.started': {
          guard: 'isCurrentTurn',
          target: 'streaming',
          actions: 'recordAssistantStarted',
        },
        'assistant.failed': {
          guard: 'isCurrentTurn',
          target: 'failed',
          actions: ['failAssistantTurn', 'stopClaude'],
        },
        'turn.stop': { target: 'idle', actions: ['stopAssistantTurn', 'stopClaude'] },
      },
    },
    failed: {
      tags: ['atRest', 'acceptsMessages'],
      description:
        'The Claude call failed (an HTTP error, an error event mid-stream, a cut connection, a server restart). The partial text stays, marked; the history is still valid, so the person can retry or send a new message.',
      on: {
        'turn.retry': { target: 'streaming', actions: ['beginAssistantTurn', 'startClaude'] },
        'user.message': {
          target: 'streaming',
          actions: ['addUserMessage', 'beginAssistantTurn', 'startClaude'],
        },
        // A retry or the next message then asks with the new settings (another model, say).
        'conversation.settings_changed': { actions: 'changeSettings' },
      },
    },
  },
});

export type ConversationMachine = typeof conversationMachine;
