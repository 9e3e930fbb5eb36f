import { createActor, type Snapshot } from 'xstate';
import { withCacheBreakpoint } from '../claude-cache-breakpoint.ts';
import type { ClaudeMessageParam } from '../claude-message.ts';
import type { ConversationContext } from '../conversation-context.ts';
import { type ConversationTag, MACHINE_VERSION } from '../conversation-machine.ts';
import { createDeltaRuns } from '../delta-runs.ts';
import { inertConversationMachine } from '../inert-conversation-machine.ts';
import type { LogEntry } from '../log-entry.ts';
import { type ConversationSnapshot, replay } from '../replay.ts';
import { currentToolRun } from '../timeline-queries.ts';
import { toClaudeMessages } from '../to-claude-messages.ts';
import { upcast } from '../upcast.ts';
import type { InspectedActor, InspectedPoint } from './inspection-types.ts';

/** Entries between checkpoints: a point is at most this many entries of folding away. */
export const INSPECTION_CHECKPOINT_EVERY = 256;

const TAGS: ConversationTag[] = ['atRest', 'working', 'acceptsMessages'];

interface Checkpoint {
  seq: number;
  snapshot: Snapshot<unknown>;
}

function actorsOf(snapshot: ConversationSnapshot): InspectedActor[] {
  const { context } = snapshot;
  const state = String(snapshot.value);
  const children = snapshot.children as Record<string, unknown>;
  const run = currentToolRun(context);
  return [
    { id: 'conversation', status: 'active', detail: state },
    'claude' in children && children.claude
      ? { id: 'claude', status: 'active', detail: `streaming turn ${context.turn}` }
      : {
          id: 'claude',
          status: 'stopped',
          detail: context.turn > 0 ? `turn ${context.turn} is over` : 'not called yet',
        },
    'tool' in children && children.tool && run
      ? { id: 'tool', status: 'active', detail: `${run.name} (${run.toolUseId})` }
      : { id: 'tool', status: 'stopped', detail: 'no tool running' },
  ];
}

/**
 * A conversation's log as the inspector travels through it. Entries are folded once as they
 * arrive (the way `replay` folds: the inert machine, runs of deltas merged), which leaves a
 * checkpoint every INSPECTION_CHECKPOINT_EVERY entries and the seq at which each Claude request
 * was made. `at(seq)` then folds with `replay` itself, from the nearest checkpoint: the same pure
 * fold the server rebuilds conversations with, never more than a checkpoint's worth of entries.
 */
export function createLogInspection() {
  const entries: LogEntry[] = [];
  const checkpoints: Checkpoint[] = [
    { seq: 0, snapshot: inertConversationMachine.getPersistedSnapshot(replay([])) },
  ];
  /** turn → the seq of the entry that started Claude's request for it. */
  const turnStarts = new Map<number, number>();
  const requests = new Map<number, ClaudeMessageParam[]>();

  const head = createActor(inertConversationMachine);
  head.start();
  let folding = 0;
  let turn = 0;
  const runs = createDeltaRuns(
    (event) => {
      head.send(event);
      const now = head.getSnapshot().context.turn;
      if (now !== turn) {
        turn = now;
        turnStarts.set(now, folding);
      }
    },
    (event) => head.getSnapshot().can(event),
  );

  /** The snapshot right after entry `seq`, folded by `replay` from the nearest checkpoint. */
  function snapshotAt(seq: number): ConversationSnapshot {
    let from = checkpoints[0]!;
    for (const checkpoint of checkpoints) {
      if (checkpoint.seq > seq) break;
      from = checkpoint;
    }
    return replay(entries.slice(from.seq, seq), {
      snapshot: from.snapshot as ConversationSnapshot,
      seq: from.seq,
    });
  }

  /** The messages of Claude's request for `turn`, exactly as sent. */
  function requestFor(forTurn: number): ClaudeMessageParam[] | null {
    const cached = requests.get(forTurn);
    if (cached) return cached;
    const startedAt = turnStarts.get(forTurn);
    if (startedAt === undefined) return null;
    const messages = withCacheBreakpoint(toClaudeMessages(snapshotAt(startedAt).context));
    requests.set(forTurn, messages);
    return messages;
  }

  return {
    /** Adds entries in seq order; ones already here are ignored, a gap is an error. */
    append(more: readonly LogEntry[]) {
      for (const entry of more) {
        if (entry.seq <= entries.length) continue;
        if (entry.seq !== entries.length + 1) {
          throw new Error(`entry ${entry.seq} does not follow ${entries.length}`);
        }
        entries.push(entry);
        folding = entry.seq;
        for (const event of upcast(entry, MACHINE_VERSION)) runs.push(event);
        if (entry.seq % INSPECTION_CHECKPOINT_EVERY === 0) {
          runs.release();
          checkpoints.push({ seq: entry.seq, snapshot: head.getPersistedSnapshot() });
        }
      }
    },
    lastSeq: () => entries.length,
    entries: (): readonly LogEntry[] => entries,
    /** The conversation right after entry `seq` (0: before the first). */
    at(seq: number): InspectedPoint {
      if (!Number.isInteger(seq) || seq < 0 || seq > entries.length) {
        throw new Error(`there is no entry ${seq} (the log ends at ${entries.length})`);
      }
      const previous = snapshotAt(Math.max(0, seq - 1));
      const current =
        seq === 0
          ? previous
          : replay([entries[seq - 1]!], {
              snapshot: inertConversationMachine.getPersistedSnapshot(
                previous,
              ) as ConversationSnapshot,
              seq: seq - 1,
            });
      const context: ConversationContext = current.context;
      const messages = context.turn > 0 ? requestFor(context.turn) : null;
      return {
        seq,
        entry: seq === 0 ? null : entries[seq - 1]!,
        state: String(current.value),
        previousState: String(previous.value),
        tags: TAGS.filter((tag) => current.hasTag(tag)),
        context,
        previousContext: previous.context,
        actors: actorsOf(current),
        request: messages ? { turn: context.turn, messages } : null,
      };
    },
  };
}

export type LogInspection = ReturnType<typeof createLogInspection>;
