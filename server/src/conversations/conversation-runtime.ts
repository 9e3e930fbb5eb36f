import {
  type CommandEvent,
  type CommandInput,
  type CommandRejection,
  type ConversationEvent,
  type ConversationSnapshot,
  commandRejection,
  createDeltaRuns,
  type FactEvent,
  type LogEntry,
  replay,
  restartInterruption,
} from '@tollgate/machines';
import { type Actor, type AnyStateMachine, createActor, type InspectionEvent } from 'xstate';
import type { Logger } from '../logger.ts';
import type { CheckpointStore } from '../store/checkpoint-store.ts';
import type { CommandLedger } from '../store/command-ledger.ts';
import type { ConversationLog } from '../store/conversation-log.ts';
import { checkpointDue, isAtRest } from './checkpoint-policy.ts';
import { entriesMessages, entryMessage } from './entries-messages.ts';
import type { FactRoutes } from './fact-routes.ts';
import { GROUP_COMMITTED, type LogWriter } from './log-writer.ts';

/** Someone watching the conversation: a WebSocket connection, or a test. */
export interface Subscriber {
  /** Receives the log's entries, already serialised as `entries` server messages. */
  deliver(message: string): void;
}

export interface ConversationRuntimeDeps {
  conversationId: string;
  log: ConversationLog;
  checkpoints: CheckpointStore;
  commands: CommandLedger;
  /** Group-commits the streamed facts of all conversations; see log-writer.ts. */
  writer: LogWriter;
  /** The conversation machine provided with real IO actors, one for every conversation. */
  liveMachine: AnyStateMachine;
  /** Where those IO actors find this conversation's `dispatch` (fact-routes.ts). */
  factRoutes: Pick<FactRoutes, 'bind'>;
  clock: () => number;
  logger: Logger;
  inspect?: (event: InspectionEvent) => void;
  /** Called when the runtime stops itself because its log could not be written. */
  onFailure?: () => void;
}

export type CommandOutcome =
  | { status: 'accepted'; entry: LogEntry }
  | { status: 'duplicate' }
  | { status: 'rejected'; code: CommandRejection['code'] | 'closing'; message: string };

const CLOSING = {
  status: 'rejected',
  code: 'closing',
  message: 'The conversation is closing; reload to continue from what was saved.',
} as const;

/**
 * One conversation, live: its actor, its log and who watches it. Every event, a person's command
 * or an IO actor's fact, goes the same way: **decide** (the machine's `snapshot.can`: a refused
 * command is answered and a fact the machine would ignore is dropped, and neither reaches the
 * log), **append** (with the next seq), **apply** (the actor consumes it) and **publish** (one
 * message per entry to every watcher, once the entry is durable). Events that arrive while one is
 * under way (an IO actor reacting to the actor's change) are queued, so the log, the actor and
 * the watchers see one order.
 */
export function openConversationRuntime(deps: ConversationRuntimeDeps) {
  const { conversationId, log, logger } = deps;
  const subscribers = new Set<Subscriber>();
  const queue: FactEvent[] = [];
  let dispatching = false;
  let stopped = false;

  // Rebuild: fold the log from the latest checkpoint (a persisted snapshot at rest; the log stays
  // the truth), then record what a restart cut short (a stream, a tool run) so the live actor
  // starts at rest and never restarts IO by itself.
  const checkpoint = deps.checkpoints.latest(conversationId);
  let snapshot: ConversationSnapshot = checkpoint
    ? replay(log.read(conversationId, checkpoint.seq), {
        snapshot: checkpoint.snapshot as ConversationSnapshot,
        seq: checkpoint.seq,
      })
    : replay(log.read(conversationId));
  let lastSeq = log.lastSeq(conversationId);
  let checkpointSeq = checkpoint?.seq ?? 0;
  for (let fact = restartInterruption(snapshot); fact; fact = restartInterruption(snapshot)) {
    const entry = log.append({ conversationId, seq: lastSeq + 1, event: fact, at: deps.clock() });
    lastSeq = entry.seq;
    snapshot = replay([entry], { snapshot, seq: entry.seq - 1 });
    logger.warn({ conversationId, fact: fact.type }, 'marked work cut by a restart');
  }

  const actor: Actor<AnyStateMachine> = createActor(deps.liveMachine, {
    snapshot,
    ...(deps.inspect ? { inspect: deps.inspect } : {}),
  });
  // IO actors report through this: it never throws back into them. A fact that cannot be recorded
  // (a full disk, say) stops the conversation instead, so the next open rebuilds it from the log
  // (`exclusive`).
  deps.factRoutes.bind(actor.system, dispatchFact);
  actor.start();
  // The actor folds a streamed answer as replay does: a run of deltas of one block is consumed as
  // one merged delta once the run ends (any other event ends it), not delta by delta. Each delta
  // is still logged and published on its own at once; only the actor's copy of the text lags, and
  // nothing reads it before the run ends (see `current()`). This is the server's largest saving
  // per delta (docs/performance.md).
  const runs = createDeltaRuns((event) => actor.send(event));

  /** The actor's state with every applied delta folded in: what a decision must read. */
  function current(): ConversationSnapshot {
    runs.release();
    return actor.getSnapshot() as ConversationSnapshot;
  }

  function publish(entry: LogEntry) {
    const message = entryMessage(entry);
    for (const subscriber of subscribers) subscriber.deliver(message);
  }

  /** Appends an event that is written alone, applies it and publishes it. */
  function appendNow(event: ConversationEvent): LogEntry {
    const entry = log.append({ conversationId, seq: lastSeq + 1, event, at: deps.clock() });
    lastSeq = entry.seq;
    runs.push(event);
    publish(entry);
    maybeCheckpoint(entry.seq);
    return entry;
  }

  /**
   * Whether the machine, as it is now, would take this fact. A stale one (the stream of a turn
   * that was stopped, a chunk of a cancelled run, a chunk out of order) is dropped: the log holds
   * only what happened. A delta that continues the run being held was decided with the run's
   * first delta: nothing that could change the answer has been applied since.
   */
  function factApplies(fact: FactEvent): boolean {
    if (runs.continues(fact)) return true;
    // Streamed facts' guards read the turn, the tool call and its chunk count, none of which a
    // held run changes, so they are judged without folding the run in first.
    const now = GROUP_COMMITTED.has(fact.type) ? actor.getSnapshot() : current();
    return now.can(fact);
  }

  /**
   * A streamed fact is applied at once (a delta as part of its run), written with the other
   * streamed facts of this event-loop turn, and published when that commit is durable. Any other
   * fact first writes what is pending, then is written alone before it takes effect: a decision
   * is on disk before its tool can start.
   */
  function consumeFact(fact: FactEvent) {
    if (!factApplies(fact)) {
      logger.debug({ conversationId, type: fact.type }, 'a fact the conversation no longer takes');
      return;
    }
    if (GROUP_COMMITTED.has(fact.type)) {
      lastSeq += 1;
      runs.push(fact);
      // May commit at once (a turn that ran past the group's wait): a failure stops the runtime.
      deps.writer.append(
        { conversationId, seq: lastSeq, event: fact, at: deps.clock() },
        publish,
        fail,
      );
      return;
    }
    deps.writer.flush();
    // Writing what was pending failed and stopped this conversation: nothing more is appended.
    if (stopped) return;
    appendNow(fact);
  }

  /**
   * Runs `work`, then every fact it caused, in order, before anything else can dispatch. A fact
   * that cannot be recorded stops the conversation (as for any fact); what `work` did stands.
   */
  function exclusive<T>(work: () => T): T {
    dispatching = true;
    try {
      const result = work();
      for (let next = queue.shift(); next && !stopped; next = queue.shift()) consumeOrFail(next);
      return result;
    } finally {
      // What was queued behind a failure must not surface in some later dispatch.
      queue.length = 0;
      dispatching = false;
    }
  }

  function dispatchFact(fact: FactEvent) {
    if (stopped) {
      logger.debug({ conversationId, type: fact.type }, 'event after stop ignored');
      return;
    }
    if (dispatching) {
      queue.push(fact);
      return;
    }
    exclusive(() => consumeOrFail(fact));
  }

  function consumeOrFail(fact: FactEvent) {
    try {
      consumeFact(fact);
    } catch (error) {
      fail(error);
    }
  }

  /** At rest and far enough from the last one: save the snapshot, so a rebuild folds only the tail. */
  function maybeCheckpoint(seq: number) {
    if (!checkpointDue(seq, checkpointSeq, actor.getSnapshot())) return;
    try {
      deps.checkpoints.save(conversationId, seq, actor.getPersistedSnapshot());
      checkpointSeq = seq;
    } catch (error) {
      // Only an optimisation: the log is complete without it.
      logger.warn({ err: error, conversationId, seq }, 'checkpoint not saved');
    }
  }

  /**
   * The log could not record what the actor was given: the two now disagree. Tell the watchers,
   * stop (IO actors included), and let the registry rebuild from the log on the next open.
   */
  function fail(error: unknown) {
    if (stopped) return;
    logger.error(
      { err: error, conversationId },
      'the log could not be written; conversation stopped',
    );
    const message = JSON.stringify({
      type: 'error',
      code: 'internal',
      conversationId,
      message:
        'This conversation could not be saved and was stopped. Reload to continue from what was saved.',
    });
    for (const subscriber of subscribers) subscriber.deliver(message);
    deps.onFailure?.();
    stopped = true;
    queue.length = 0;
    actor.stop();
    subscribers.clear();
  }

  return {
    conversationId,
    /**
     * A person's command: applied once per commandId (a resent one is a duplicate), stamped with
     * the server's time, judged against the conversation as it is now, and only then appended,
     * applied and published. A refused command changes nothing, the log included.
     */
    command(input: CommandInput): CommandOutcome {
      if (stopped) return CLOSING;
      if (dispatching) throw new Error('a command was sent while an event was being dispatched');
      if (deps.commands.has(conversationId, input.commandId)) return { status: 'duplicate' };
      const event = (
        input.type === 'user.message' ? { ...input, at: deps.clock() } : input
      ) as CommandEvent;
      return exclusive((): CommandOutcome => {
        const rejection = commandRejection(current(), event);
        if (rejection) return { status: 'rejected', ...rejection };
        // What is pending is older than this command: it goes first, or the log's order would
        // not be the order in which the actor took them.
        deps.writer.flush();
        if (stopped) return CLOSING;
        return { status: 'accepted', entry: appendNow(event) };
      });
    },
    /**
     * Sends every durable entry after `afterSeq` (to `catchUp`, in pages), then adds the
     * subscriber for live ones. Both happen in one synchronous step, so nothing can fall between
     * them: no gap, no duplicate. (An entry still waiting for its group commit is published to
     * the new subscriber too.)
     */
    subscribe(subscriber: Subscriber, afterSeq: number, catchUp: Subscriber = subscriber): number {
      const missed = log.read(conversationId, afterSeq);
      for (const message of entriesMessages(missed)) catchUp.deliver(message);
      subscribers.add(subscriber);
      return missed.at(-1)?.seq ?? Math.max(afterSeq, log.lastSeq(conversationId));
    },
    unsubscribe(subscriber: Subscriber) {
      subscribers.delete(subscriber);
    },
    /** True when nothing runs and nobody watches: the registry may stop it. */
    isDormant: () => subscribers.size === 0 && isAtRest(actor.getSnapshot()),
    /** The actor's state, with every delta applied so far folded in. */
    snapshot(): ConversationSnapshot {
      if (stopped) return actor.getSnapshot() as ConversationSnapshot;
      return current();
    },
    stop() {
      // The last state, whole: a held run is folded in before the actor stops.
      if (!stopped) runs.release();
      stopped = true;
      actor.stop();
      subscribers.clear();
    },
  };
}

export type ConversationRuntime = ReturnType<typeof openConversationRuntime>;
