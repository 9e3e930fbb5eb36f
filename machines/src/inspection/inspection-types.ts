import type { ClaudeMessageParam } from '../claude-message.ts';
import type { ConversationContext } from '../conversation-context.ts';
import type { ConversationTag } from '../conversation-machine.ts';
import type { LogEntry } from '../log-entry.ts';

/** The conversation machine's states and state-changing transitions, read from its definition. */
export interface MachineGraph {
  initial: string;
  states: { name: string; description: string; tags: ConversationTag[] }[];
  /** One per event (or `always`) and target; `guard` is the guard's name, '' when none. */
  edges: { from: string; to: string; event: string; guard: string }[];
}

/** An actor at a point of the log: the conversation itself and what it had invoked. */
export interface InspectedActor {
  id: 'conversation' | 'claude' | 'tool';
  status: 'active' | 'stopped';
  /** In words: the state, the turn being streamed, the tool call being run. */
  detail: string;
}

/** The conversation as it was right after one entry of its log (seq 0: before any). */
export interface InspectedPoint {
  seq: number;
  entry: LogEntry | null;
  /** The state's name after the entry, and before it. */
  state: string;
  previousState: string;
  tags: ConversationTag[];
  context: ConversationContext;
  previousContext: ConversationContext;
  actors: InspectedActor[];
  /**
   * The latest request Tollgate sent Claude at this point, exactly as sent (cache breakpoint
   * included): the turn it asked for and its messages. Null before the first.
   */
  request: { turn: number; messages: ClaudeMessageParam[] } | null;
}

/** One change in the context between two points, by path (`items.3.decision.status`). */
export interface ContextChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** JSON of the value before and after, shortened; absent for added or removed. */
  before?: string;
  after?: string;
}

/** A row of the events list: one entry, or a run of streamed entries of one kind, collapsed. */
export type EventRow =
  | { kind: 'entry'; entry: LogEntry; summary: string }
  | {
      kind: 'run';
      type: LogEntry['event']['type'];
      entries: LogEntry[];
      /** What the run adds up to: the text of a run of deltas, the bytes of a run of chunks. */
      summary: string;
    };
