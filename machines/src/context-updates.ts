import type { Draft } from 'immer';
import type {
  AssistantBlock,
  AssistantItem,
  ConversationContext,
  TimelineItem,
  ToolCallItem,
  ToolRun,
} from './conversation-context.ts';
import type {
  PolicyRevokeEvent,
  ToolApproveEvent,
  ToolDenyEvent,
  UserMessageEvent,
} from './events/command-events.ts';
import type {
  AssistantCompletedEvent,
  AssistantFailedEvent,
  AssistantRedactedThinkingEvent,
  AssistantStartedEvent,
  AssistantTextDeltaEvent,
  AssistantThinkingDeltaEvent,
  AssistantThinkingSignatureEvent,
  AssistantToolInputDeltaEvent,
  AssistantToolUseEvent,
  ToolChunkEvent,
  ToolCompletedEvent,
  ToolFailedEvent,
  ToolProgressEvent,
  ToolStartedEvent,
} from './events/fact-events.ts';
import type { ToolPolicyDecidedEvent } from './events/policy-events.ts';
import type { SettingsChangedEvent } from './events/settings-events.ts';
import { grownText } from './grown-text.ts';
import { produce } from './immer-produce.ts';
import { isAssistantItem, isToolCallItem, offeredToolUses } from './timeline-queries.ts';

// Pure updates of the context, one per thing that can happen. Each takes the context and the
// event and returns the next context; the machine's guards decide whether it applies at all.

type Update<E> = (context: ConversationContext, event: E) => ConversationContext;

function toolCallDraft(
  draft: Draft<ConversationContext>,
  toolUseId: string,
): Draft<ToolCallItem> | undefined {
  return draft.items.find(
    (item): item is Draft<ToolCallItem> => isToolCallItem(item) && item.toolUseId === toolUseId,
  );
}

/**
 * What happens at every turn and every streamed delta (thousands a second across conversations,
 * and every one of them again when a log is replayed) is written without Immer: a draft costs
 * more than the change itself. These updates return the same kind of structurally shared,
 * unmutated context, and the context itself when nothing applies. The rarer updates (decisions,
 * a tool run's start and end) use Immer, where a draft reads more clearly.
 */
function updateCurrentAssistant(
  context: ConversationContext,
  change: (item: AssistantItem) => AssistantItem,
  after: (item: AssistantItem) => TimelineItem[] = () => [],
): ConversationContext {
  const at = context.items.findLastIndex(isAssistantItem);
  const item = context.items[at] as AssistantItem | undefined;
  if (item?.turn !== context.turn) return context;
  const changed = change(item);
  if (changed === item) return context;
  const added = after(item);
  const items =
    added.length === 0 && at === context.items.length - 1
      ? context.items.with(at, changed)
      : [...context.items.slice(0, at), changed, ...context.items.slice(at + 1), ...added];
  return { ...context, items };
}

function updateCurrentBlock<T extends AssistantBlock['type']>(
  context: ConversationContext,
  index: number,
  type: T,
  create: () => Extract<AssistantBlock, { type: T }>,
  change: (block: Extract<AssistantBlock, { type: T }>) => Extract<AssistantBlock, { type: T }>,
): ConversationContext {
  return updateCurrentAssistant(context, (item) => {
    const last = item.blocks.at(-1);
    if (last !== undefined && last.index === index) {
      if (last.type !== type) return item;
      const changed = change(last as Extract<AssistantBlock, { type: T }>);
      return changed === last ? item : { ...item, blocks: item.blocks.with(-1, changed) };
    }
    if (last !== undefined && last.index > index) return item;
    return { ...item, blocks: [...item.blocks, change(create())] };
  });
}

/** The same for the run of one tool call (see updateCurrentBlock). */
function updateRun(
  context: ConversationContext,
  toolUseId: string,
  change: (run: ToolRun) => ToolRun,
): ConversationContext {
  const at = context.items.findIndex(
    (item) => isToolCallItem(item) && item.toolUseId === toolUseId,
  );
  const call = context.items[at] as ToolCallItem | undefined;
  if (!call?.run) return context;
  return { ...context, items: context.items.with(at, { ...call, run: change(call.run) }) };
}

function queuedRun(): ToolRun {
  return {
    status: 'queued',
    server: null,
    chunks: 0,
    progress: 0,
    total: null,
    text: '',
    message: null,
    result: null,
    error: null,
  };
}

export const addUserMessage: Update<UserMessageEvent> = (context, event) => ({
  ...context,
  items: [
    ...context.items,
    {
      kind: 'user',
      id: event.commandId,
      text: event.text,
      ...(event.images ? { images: event.images } : {}),
      at: event.at,
    },
  ],
});

/** A new Claude request begins: it gets the next turn number and an empty assistant item. */
export const beginAssistantTurn = (context: ConversationContext): ConversationContext => ({
  ...context,
  turn: context.turn + 1,
  items: [
    ...context.items,
    {
      kind: 'assistant',
      turn: context.turn + 1,
      messageId: null,
      model: null,
      blocks: [],
      status: 'streaming',
      stopReason: null,
      usage: null,
      error: null,
    },
  ],
});

export const recordAssistantStarted: Update<AssistantStartedEvent> = (context, event) =>
  updateCurrentAssistant(context, (item) => ({
    ...item,
    messageId: event.messageId,
    model: event.model,
  }));

export const appendTextDelta: Update<AssistantTextDeltaEvent> = (context, event) =>
  updateCurrentBlock(
    context,
    event.index,
    'text',
    () => ({ type: 'text', index: event.index, text: '' }),
    (block) => ({ ...block, text: grownText(block.text, event.text) }),
  );

export const appendThinkingDelta: Update<AssistantThinkingDeltaEvent> = (context, event) =>
  updateCurrentBlock(
    context,
    event.index,
    'thinking',
    () => ({ type: 'thinking', index: event.index, thinking: '', signature: null }),
    (block) => ({ ...block, thinking: grownText(block.thinking, event.thinking) }),
  );

export const signThinking: Update<AssistantThinkingSignatureEvent> = (context, event) =>
  updateCurrentBlock(
    context,
    event.index,
    'thinking',
    () => ({ type: 'thinking', index: event.index, thinking: '', signature: null }),
    (block) => ({ ...block, signature: event.signature }),
  );

export const addRedactedThinking: Update<AssistantRedactedThinkingEvent> = (context, event) =>
  updateCurrentBlock(
    context,
    event.index,
    'redacted_thinking',
    () => ({ type: 'redacted_thinking', index: event.index, data: event.data }),
    (block) => block,
  );

export const appendToolInputDelta: Update<AssistantToolInputDeltaEvent> = (context, event) =>
  updateCurrentBlock(
    context,
    event.index,
    'tool_use',
    () => ({
      type: 'tool_use',
      index: event.index,
      id: event.toolUseId,
      name: event.name,
      partialJson: '',
      input: null,
    }),
    (block) =>
      block.id === event.toolUseId && block.input === null
        ? { ...block, partialJson: grownText(block.partialJson, event.partialJson) }
        : block,
  );

export const completeToolUse: Update<AssistantToolUseEvent> = (context, event) =>
  updateCurrentBlock(
    context,
    event.index,
    'tool_use',
    () => ({
      type: 'tool_use',
      index: event.index,
      id: event.toolUseId,
      name: event.name,
      partialJson: '',
      input: null,
    }),
    (block) => (block.id === event.toolUseId ? { ...block, input: event.input } : block),
  );

/**
 * The turn is complete. Every finished tool_use becomes a tool call item: approved by policy if
 * the person chose "Always allow" for that tool, pending otherwise.
 */
export const completeAssistantTurn: Update<AssistantCompletedEvent> = (context, event) => {
  let offered: ReturnType<typeof offeredToolUses> = [];
  return updateCurrentAssistant(
    context,
    (item) => {
      offered = offeredToolUses(item, event.stopReason);
      const offeredIds = new Set(offered.map((use) => use.id));
      return {
        ...item,
        status: 'complete',
        stopReason: event.stopReason,
        usage: event.usage,
        // A cut-off call is left incomplete, so it is neither run nor sent back to Claude.
        blocks: item.blocks.map((block) =>
          block.type === 'tool_use' && block.input !== null && !offeredIds.has(block.id)
            ? { ...block, input: null }
            : block,
        ),
      };
    },
    (item) =>
      offered.map((toolUse): ToolCallItem => {
        const allowed = context.alwaysAllowed.includes(toolUse.name);
        return {
          kind: 'tool',
          toolUseId: toolUse.id,
          name: toolUse.name,
          input: toolUse.input,
          turn: item.turn,
          decision: allowed
            ? { status: 'approved', by: 'policy', scope: 'always', editedInput: null }
            : { status: 'pending' },
          run: allowed ? queuedRun() : null,
        };
      }),
  );
};

export const failAssistantTurn: Update<AssistantFailedEvent> = (context, event) =>
  updateCurrentAssistant(context, (item) => ({
    ...item,
    status: 'failed',
    error: { kind: event.kind, message: event.message, retryable: event.retryable },
  }));

export const stopAssistantTurn = (context: ConversationContext): ConversationContext =>
  updateCurrentAssistant(context, (item) => ({ ...item, status: 'stopped' }));

export const approveToolCall: Update<ToolApproveEvent> = (context, event) =>
  produce(context, (draft) => {
    const call = toolCallDraft(draft, event.toolUseId);
    if (call?.decision.status !== 'pending') return;
    call.decision = {
      status: 'approved',
      by: 'person',
      scope: event.scope,
      editedInput: event.editedInput ?? null,
    };
    call.run = queuedRun();
    if (event.scope === 'once') return;
    if (event.scope === 'everywhere') {
      // The grant lives in the server's store, not in this context: later calls, here and in
      // every other conversation of the person, are approved by the server's policy step.
      draft.items.push({
        kind: 'notice',
        code: 'always_allow_granted_everywhere',
        toolName: call.name,
      });
    } else if (!draft.alwaysAllowed.includes(call.name)) {
      draft.alwaysAllowed.push(call.name);
      draft.items.push({ kind: 'notice', code: 'always_allow_granted', toolName: call.name });
    }
    // "Always allow" covers the other calls of the same tool still waiting in this turn.
    for (const other of draft.items) {
      if (
        isToolCallItem(other) &&
        other.name === call.name &&
        other.decision.status === 'pending'
      ) {
        other.decision = {
          status: 'approved',
          by: 'policy',
          scope: event.scope,
          editedInput: null,
        };
        other.run = queuedRun();
      }
    }
  });

export const denyToolCall: Update<ToolDenyEvent> = (context, event) =>
  produce(context, (draft) => {
    const call = toolCallDraft(draft, event.toolUseId);
    if (call?.decision.status !== 'pending') return;
    const reason = event.reason?.trim();
    call.decision = { status: 'denied', reason: reason ? reason : null };
  });

/** A rule of POLICY_FILE decided a waiting call; nobody is asked (docs/policies.md). */
export const applyPolicyDecision: Update<ToolPolicyDecidedEvent> = (context, event) =>
  produce(context, (draft) => {
    const call = toolCallDraft(draft, event.toolUseId);
    if (call?.decision.status !== 'pending') return;
    if (event.decision === 'denied') {
      call.decision = {
        status: 'denied',
        reason: event.rule?.reason ?? null,
        ...(event.rule ? { rule: event.rule } : {}),
      };
      return;
    }
    call.decision = {
      status: 'approved',
      by: 'policy',
      scope: event.grant ? 'everywhere' : 'once',
      editedInput: null,
      ...(event.grant ? { grant: event.grant } : {}),
      ...(event.rule ? { rule: event.rule } : {}),
    };
    call.run = queuedRun();
  });

export const revokeAlwaysAllow: Update<PolicyRevokeEvent> = (context, event) =>
  produce(context, (draft) => {
    const at = draft.alwaysAllowed.indexOf(event.toolName);
    if (at === -1) return;
    draft.alwaysAllowed.splice(at, 1);
    draft.items.push({ kind: 'notice', code: 'always_allow_revoked', toolName: event.toolName });
    // Calls the grant approved but that have not started go back to the person.
    for (const item of draft.items) {
      if (
        isToolCallItem(item) &&
        item.name === event.toolName &&
        item.decision.status === 'approved' &&
        item.decision.by === 'policy' &&
        item.run?.status === 'queued'
      ) {
        item.decision = { status: 'pending' };
        item.run = null;
      }
    }
  });

/** Stop: nothing still waiting for a decision or a run will happen. */
export const cancelOpenToolCalls = (context: ConversationContext): ConversationContext =>
  produce(context, (draft) => {
    for (const item of draft.items) {
      if (!isToolCallItem(item)) continue;
      if (item.decision.status === 'pending') item.decision = { status: 'cancelled' };
      if (item.run?.status === 'queued' || item.run?.status === 'running') {
        item.run.status = 'cancelled';
      }
    }
  });

export const markToolStarted: Update<ToolStartedEvent> = (context, event) =>
  produce(context, (draft) => {
    const run = toolCallDraft(draft, event.toolUseId)?.run;
    if (!run) return;
    run.status = 'running';
    run.server = event.server;
  });

export const appendToolChunk: Update<ToolChunkEvent> = (context, event) =>
  updateRun(context, event.toolUseId, (run) => ({
    ...run,
    status: 'running',
    chunks: run.chunks + (event.count ?? 1),
    text: run.text + event.text,
    progress: event.bytes,
    total: event.total,
    message: event.message ?? null,
  }));

export const recordToolProgress: Update<ToolProgressEvent> = (context, event) =>
  updateRun(context, event.toolUseId, (run) => ({
    ...run,
    status: 'running',
    progress: event.progress,
    total: event.total ?? run.total,
    message: event.message ?? run.message,
  }));

export const completeToolRun: Update<ToolCompletedEvent> = (context, event) =>
  produce(context, (draft) => {
    const run = toolCallDraft(draft, event.toolUseId)?.run;
    if (!run) return;
    run.status = 'completed';
    run.result = { content: event.content, isError: event.isError, file: event.file ?? null };
  });

export const failToolRun: Update<ToolFailedEvent> = (context, event) =>
  produce(context, (draft) => {
    const run = toolCallDraft(draft, event.toolUseId)?.run;
    if (!run) return;
    run.status = 'failed';
    run.error = event.message;
  });

/** The person's new settings replace the old whole; the next Claude request uses them. */
export const changeSettings: Update<SettingsChangedEvent> = (context, event) => ({
  ...context,
  settings: {
    model: event.model,
    thinkingBudget: event.thinkingBudget,
    systemPrompt: event.systemPrompt,
  },
});
