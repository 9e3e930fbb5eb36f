import type { SnapshotFrom } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { ConversationEvent } from '../events/conversation-event.ts';
import { inertConversationMachine } from '../inert-conversation-machine.ts';
import {
  currentAssistantItem,
  currentToolRun,
  findToolCall,
  pendingToolCalls,
} from '../timeline-queries.ts';
import * as ev from './event-builders.ts';

type Snapshot = SnapshotFrom<typeof inertConversationMachine>;

const TOOLS = ['write_file', 'read_file'] as const;

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
  ];
  if (turn > 0) {
    const blocks = currentAssistantItem(context)?.blocks.length ?? 0;
    events.push(
      ev.started(turn),
      ev.textDelta(turn, 'Working on it.', blocks === 0 ? 0 : blocks - 1),
      ev.completed(turn, 'end_turn'),
      ev.completed(turn, 'tool_use'),
      ev.failed(turn, 'overloaded'),
      ev.textDelta(turn - 1, 'stale'),
    );
    // Up to two tool calls per turn, one of each tool, so a turn can ask for several at once.
    if (blocks < 3) {
      const name = TOOLS[(blocks + turn) % 2] ?? 'write_file';
      events.push(
        ev.toolUse(turn, blocks + 1, `toolu_${turn}_${blocks}`, name, {
          path: 'notes/a.md',
          content: 'hi',
        }),
      );
    }
  }
  for (const call of pendingToolCalls(context)) {
    events.push(
      ev.approve(call.toolUseId),
      ev.approve(call.toolUseId, 'always'),
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
      ev.toolFailed(run.toolUseId),
    );
  }
  return events;
}

/** The bounded abstraction of a snapshot that the path generator treats as one state. */
export function abstractState(snapshot: Snapshot): string {
  const { context } = snapshot;
  const assistant = currentAssistantItem(context);
  return JSON.stringify({
    value: snapshot.value,
    blocks: assistant?.blocks.map((block) => block.type) ?? null,
    status: assistant?.status ?? null,
    pending: pendingToolCalls(context).map((call) => call.name),
    run: currentToolRun(context)?.run?.status ?? null,
    allowed: [...context.alwaysAllowed].sort(),
  });
}

export function generatedPaths() {
  return getShortestPaths(inertConversationMachine, {
    events: eventsFor,
    serializeState: abstractState,
    serializeEvent: (event) => JSON.stringify(event),
    limit: 5_000,
  });
}
