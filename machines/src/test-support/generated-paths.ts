import type { SnapshotFrom } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { ConversationEvent } from '../events/conversation-event.ts';
import { inertConversationMachine } from '../inert-conversation-machine.ts';
import {
  currentAssistantItem,
  currentToolRun,
  findToolCall,
  pendingToolCalls,
  toolRunsLeft,
} from '../timeline-queries.ts';
import * as ev from './event-builders.ts';

type Snapshot = SnapshotFrom<typeof inertConversationMachine>;

const TOOLS = ['write_file', 'read_file'] as const;
/** Blocks per assistant turn: enough for thinking, text and two tool calls in some order. */
const MAX_BLOCKS = 3;

/**
 * The explicit event list for path generation: in each state, every command a person could send
 * and every fact an actor could report next, including stale and unknown ones, with the turn
 * numbers and tool_use ids the snapshot calls for.
 */
export function eventsFor(snapshot: Snapshot): ConversationEvent[] {
  const { context } = snapshot;
  const turn = context.turn;
  const events: ConversationEvent[] = [
    ev.userMessage('Please write notes/a.md'),
    ev.stop(),
    ev.retry(),
    ev.approve('toolu_unknown'),
    ...TOOLS.map((name) => ev.revoke(name)),
    // Thinking on: every request after it must still keep the API's thinking rules.
    ev.settingsChanged('claude-opus-5-5', 4096, 'Answer briefly.'),
    ev.renamed('Notes for the trip'),
  ];
  if (turn > 0) {
    const blocks = currentAssistantItem(context)?.blocks ?? [];
    const last = blocks.at(-1);
    const next = (last?.index ?? -1) + 1;
    const room = blocks.length < MAX_BLOCKS;
    if (last?.type === 'text') events.push(ev.textDelta(turn, ' More.', last.index));
    if (room) {
      events.push(
        ev.textDelta(turn, 'Working on it.', next),
        // Whitespace alone is text the API refuses to be sent back.
        ev.textDelta(turn, '\n\n', next),
        ev.thinkingDelta(turn, 'Let me think.', next),
      );
    }
    events.push(
      ev.started(turn),
      ev.completed(turn, 'end_turn'),
      ev.completed(turn, 'tool_use'),
      ev.completed(turn, 'max_tokens'),
      ev.completed(turn, 'pause_turn'),
      // APPROVAL_TTL: the expiry, stale unless calls wait.
      ev.approvalExpired(turn),
      ev.failed(turn, 'overloaded'),
      ev.textDelta(turn - 1, 'stale'),
    );
    // A turn whose calls expire: only worth a path when it asks for some.
    if (last?.type === 'tool_use' && last.input !== null) {
      events.push(ev.completedExpiring(turn, 1_000_000));
    }
    if (last?.type === 'thinking') events.push(ev.thinkingSignature(turn, 'sig==', last.index));
    // Tool calls alternate tools, so a turn can ask for several at once; a call may stream its
    // input first, or stop mid-input.
    if (room) {
      const name = TOOLS[(blocks.length + turn) % 2] ?? 'write_file';
      const id = `toolu_${turn}_${next}`;
      events.push(
        ev.toolInputDelta(turn, next, id, name, '{"path": "no'),
        ev.toolUse(turn, next, id, name, { path: 'notes/a.md', content: 'hi' }),
      );
    }
    if (last?.type === 'tool_use' && last.input === null) {
      events.push(ev.toolUse(turn, last.index, last.id, last.name, { path: 'notes/a.md' }));
    }
  }
  for (const call of pendingToolCalls(context)) {
    events.push(
      ev.approve(call.toolUseId),
      ev.approve(call.toolUseId, 'always'),
      ev.approve(call.toolUseId, 'once', { path: 'edited.md', content: 'edited' }),
      ev.deny(call.toolUseId, 'not now'),
    );
  }
  const run = currentToolRun(context);
  if (run) {
    const chunks = findToolCall(context, run.toolUseId)?.run?.chunks ?? 0;
    events.push(
      ev.toolStarted(run.toolUseId),
      ev.toolChunk(run.toolUseId, chunks, 'hi', chunks * 2 + 2, 8),
      ev.toolChunk(run.toolUseId, chunks + 1, 'gap', 99, 100),
      ev.toolCompleted(run.toolUseId, 'ok'),
      ev.toolCompleted(run.toolUseId, '', true),
      ev.toolFailed(run.toolUseId),
    );
  }
  return events;
}

/**
 * The bounded abstraction of a snapshot that the path generator treats as one state: enough to
 * tell apart every situation with different transitions out of it, small enough to enumerate.
 */
export function abstractState(snapshot: Snapshot): string {
  const { context } = snapshot;
  const blocks = currentAssistantItem(context)?.blocks ?? [];
  const last = blocks.at(-1);
  return JSON.stringify({
    value: snapshot.value,
    blocks: blocks.length,
    toolUses: blocks.filter((block) => block.type === 'tool_use' && block.input !== null).length,
    last:
      last?.type === 'tool_use' && last.input === null ? 'partial_tool_use' : (last?.type ?? null),
    pending: pendingToolCalls(context).length,
    run: currentToolRun(context)?.run?.status ?? null,
    runsLeft: toolRunsLeft(context),
    allowed: [...context.alwaysAllowed].sort(),
  });
}

export function generatedPaths() {
  return getShortestPaths(inertConversationMachine, {
    events: eventsFor,
    serializeState: abstractState,
    serializeEvent: (event) => JSON.stringify(event),
    limit: 100_000,
  });
}
