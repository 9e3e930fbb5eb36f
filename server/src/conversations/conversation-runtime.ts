import {
  type CommandInput,
  type CommandRejectedEmitted,
  type ConversationEvent,
  type ConversationSnapshot,
  createDeltaRuns,
  type LogEntry,
  replay,
  restartInterruption,
} from '@tollgate/machines';
import { type Actor, type AnyStateMachine, createActor, type InspectionEvent } from 'xstate';
import type { Logger } from '../logger.ts';
import type { EventStore } from '../store/event-store.ts';
import { checkpointDue, isAtRest } from './checkpoint-policy.ts';
import { entriesMessages } from './entries-messages.ts';
import type { FactRoutes } from './fact-routes.ts';
import { GROUP_COMMITTED, type LogWriter } from './log-writer.ts';

/** Someone watching the conversation: a WebSocket connection, or a test. */
export interface Subscriber {
  /** Receives the log's entries, already serialised as `entries` server messages. */
  deliver(message: string): void;
}

export interface ConversationRuntimeDeps {
  conversationId: string;
  store: EventStore;
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
  | { status: 'rejected'; code: string; message: string };

/**
 * One conversation, live: its actor, its log and who watches it. Every event, a person's command
 * or an IO actor's fact, goes through `dispatch`: logged with its seq, consumed by the actor and
 * broadcast (`consume` says in which order; a run of deltas is consumed as one merged delta).
 * Dispatches that happen while one is under way are queued, so events reach the log, the actor
 * and the subscribers in one order.
 */
export function openConversationRuntime(deps: ConversationRuntimeDeps) {
  const { conversationId, store, logger } = deps;
  const subscribers = new Set<Subscriber>();
  const queue: ConversationEvent[] = [];
  let dispatching = false;
  let stopped = false;
  let lastRejection: CommandRejectedEmitted | null = null;

  // Rebuild: fold the log from the latest checkpoint (a persisted snapshot at rest; the log stays
  // the truth), then record what a restart cut short (a stream, a tool run) so the live actor
  // starts at rest and never restarts IO by itself.
  const checkpoint = store.latestCheckpoint(conversationId);
  let snapshot: ConversationSnapshot = checkpoint
    ? replay(store.read(conversationId, checkpoint.seq), {
        snapshot: checkpoint.snapshot as ConversationSnapshot,
        seq: checkpoint.seq,
      })
    : replay(store.read(conversationId));
  let checkpointSeq = checkpoint?.seq ?? 0;
  for (let fact = restartInterruption(snapshot); fact; fact = restartInterruption(snapshot)) {
    const entry = store.append(conversationId, fact, deps.clock());
    snapshot = replay([entry], { snapshot, seq: entry.seq - 1 });
    logger.warn({ conversationId, fact: fact.type }, 'marked work cut by a restart');
  }

  const actor: Actor<AnyStateMachine> = createActor(deps.liveMachine, {
    snapshot,
    ...(deps.inspect ? { inspect: deps.inspect } : {}),
  });
  // IO actors report through this: it never throws back into them. A fact that cannot be recorded
  // (a full disk, say) stops the conversation instead, so the next open rebuilds it from the log.
  deps.factRoutes.bind(actor.system, (fact) => {
    try {
      dispatch(fact);
    } catch (error) {
      fail(error);
    }
  });
  actor.on('command.rejected', (rejection) => {
    lastRejection = rejection as CommandRejectedEmitted;
  });
  actor.start();
  // The actor folds a streamed answer as replay does: a run of deltas of one block is consumed as
  // one merged delta once the run ends (any other event ends it), not delta by delta. Each delta
  // is still logged and broadcast on its own at once; only the actor's copy of the text lags, and
  // nothing reads it before the run ends (see `snapshot()`). At 200 streaming conversations this
  // took about a sixth off the server's CPU per delta (docs/performance.md).
  const runs = createDeltaRuns((event) => actor.send(event));

  /** Consecutive entries of this conversation go to every watcher as one message. */
  function broadcast(entries: LogEntry[]) {
    for (const message of entriesMessages(entries)) {
      for (const subscriber of subscribers) subscriber.deliver(message);
    }
  }

  /**
   * A streamed fact is consumed at once (a delta as part of its run) and broadcast when its group
   * commit is durable, at the end of this event-loop turn. Any other event first writes what is
   * pending, then is appended on its own before it takes effect: a decision is on disk before its
   * tool can start.
   */
  function consume(event: ConversationEvent): LogEntry | null {
    if (GROUP_COMMITTED.has(event.type)) {
      runs.push(event);
      deps.writer.append(conversationId, event, deps.clock(), broadcast, fail);
      return null;
    }
    deps.writer.flush();
    // Writing what was pending failed and stopped this conversation: nothing more is appended.
    if (stopped) return null;
    const entry = store.append(conversationId, event, deps.clock());
    runs.push(event);
    broadcast([entry]);
    maybeCheckpoint(entry.seq);
    return entry;
  }

  /** At rest and far enough from the last one: save the snapshot, so a rebuild folds only the tail. */
  function maybeCheckpoint(seq: number) {
    if (!checkpointDue(seq, checkpointSeq, actor.getSnapshot())) return;
    try {
      store.saveCheckpoint(conversationId, seq, actor.getPersistedSnapshot());
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

  function dispatch(event: ConversationEvent): LogEntry | null {
    if (stopped) {
      logger.debug({ conversationId, type: event.type }, 'event after stop ignored');
      return null;
    }
    if (dispatching) {
      queue.push(event);
      return null;
    }
    dispatching = true;
    try {
      const entry = consume(event);
      for (let next = queue.shift(); next; next = queue.shift()) consume(next);
      return entry;
    } catch (error) {
      // What was queued behind a failed event must not surface in some later dispatch.
      queue.length = 0;
      throw error;
    } finally {
      dispatching = false;
    }
  }

  return {
    conversationId,
    /**
     * A person's command: applied once per commandId (a resent command is a duplicate), stamped
     * with the server's time, and reported rejected if the machine refused it.
     */
    command(input: CommandInput): CommandOutcome {
      if (store.hasCommand(conversationId, input.commandId)) return { status: 'duplicate' };
      const event = (
        input.type === 'user.message' ? { ...input, at: deps.clock() } : input
      ) as ConversationEvent;
      lastRejection = null;
      const entry = dispatch(event);
      const rejection = lastRejection as CommandRejectedEmitted | null;
      if (rejection)
        return { status: 'rejected', code: rejection.code, message: rejection.message };
      if (!entry)
        return { status: 'rejected', code: 'internal', message: 'The conversation is closing.' };
      return { status: 'accepted', entry };
    },
    /**
     * Sends every entry after `afterSeq`, then adds the subscriber for live ones. Both happen in
     * one synchronous step, so nothing can fall between them: no gap, no duplicate.
     */
    subscribe(subscriber: Subscriber, afterSeq: number): number {
      const missed = store.read(conversationId, afterSeq);
      for (const message of entriesMessages(missed)) subscriber.deliver(message);
      subscribers.add(subscriber);
      return missed.at(-1)?.seq ?? Math.max(afterSeq, store.lastSeq(conversationId));
    },
    unsubscribe(subscriber: Subscriber) {
      subscribers.delete(subscriber);
    },
    subscriberCount: () => subscribers.size,
    /** True when nothing runs and nobody watches: the registry may stop it. */
    isDormant: () => subscribers.size === 0 && isAtRest(actor.getSnapshot()),
    /** The actor's state, with every delta dispatched so far folded in. */
    snapshot(): ConversationSnapshot {
      if (!stopped) runs.release();
      return actor.getSnapshot() as ConversationSnapshot;
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
