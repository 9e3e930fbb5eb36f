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
  pendingToolCalls,
  replay,
  restartInterruption,
  resumableSnapshot,
  type ToolPolicyDecidedEvent,
} from '@tollgate/machines';
import { type Actor, type AnyStateMachine, createActor, type InspectionEvent } from 'xstate';
import type { Logger } from '../logger.ts';
import type { CheckpointStore } from '../store/checkpoint-store.ts';
import type { CommandLedger } from '../store/command-ledger.ts';
import type { ConversationLog } from '../store/conversation-log.ts';
import { DuplicateCommandError, SeqConflictError } from '../store/store-errors.ts';
import { checkpointMessages } from './checkpoint-messages.ts';
import { checkpointDue, isAtRest } from './checkpoint-policy.ts';
import type { FactRoutes } from './fact-routes.ts';
import { createFanOut } from './fan-out.ts';
import { foldLog } from './fold-log.ts';
import { GROUP_COMMITTED, type LogWriter } from './log-writer.ts';

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
  /**
   * What this server's configuration refuses of a command the machine would take (conversation
   * settings naming a model it does not offer): asked after the machine, before anything is
   * written, so a refusal never reaches the log either.
   */
  admit?: (command: CommandEvent) => CommandRejection | null | Promise<CommandRejection | null>;
  /**
   * The server's policy step (policy/tool-policy.ts): the calls it decides without asking anyone,
   * of those now waiting for a decision. Asked when Claude's turn completes with tool calls and
   * when a conversation with waiting calls is opened; what it decides is appended right after the
   * turn's completion and published with it, so no tab shows a dialog for a call it decides.
   */
  policy?: (
    calls: readonly { toolUseId: string; name: string }[],
    conversationId: string,
  ) => readonly ToolPolicyDecidedEvent[] | Promise<readonly ToolPolicyDecidedEvent[]>;
  /**
   * The MCP server offering a tool now: stamped on an "Always allow everywhere" decision, whose
   * grant the store writes in the append's transaction (store/tool-grants.ts).
   */
  toolServer?: (toolName: string) => string | undefined;
  /** Told once a decision that grants (with its grant) or a `policy.revoke` is in the log. */
  grantsChanged?: (conversationId: string) => void | Promise<void>;
}

export type { Subscriber } from './fan-out.ts';

export type CommandOutcome =
  | { status: 'accepted'; seq: number }
  | { status: 'duplicate' }
  | { status: 'rejected'; code: CommandRejection['code'] | 'closing'; message: string };

const CLOSING = {
  status: 'rejected',
  code: 'closing',
  message: 'The conversation is closing; reload to continue from what was saved.',
} as const;

/** A step of the runtime's one queue: a fact to consume, or a command to judge. */
interface Step {
  run(): void | Promise<void>;
  /** The runtime stopped before the step ran. */
  abandon?(): void;
}

/**
 * One conversation, live, on the instance that owns it: its actor, its log and who watches it.
 * Every event, a person's command or an IO actor's fact, goes the same way: **decide** (the
 * machine's `snapshot.can`: a refused command is answered and a fact the machine would ignore is
 * dropped, and neither reaches the log), **append** (with the next seq), **apply** (the actor
 * consumes it) and **publish** (one message per entry to every watcher, once the entry is
 * durable; a completion and the server's decisions on its calls go as one message). Events go
 * through one queue, one at a time: an event that arrives while another is under way (an IO
 * actor reacting to the actor's change, a command while a decision is being written) waits its
 * turn, so the log, the actor and the watchers see one order. Rebuilt from the log when opened
 * (`openConversationRuntime`).
 */
export async function openConversationRuntime(deps: ConversationRuntimeDeps) {
  const { conversationId, log, logger } = deps;
  const queue: Step[] = [];
  let busy = false;
  let stopped = false;

  // Rebuild: fold the log from the latest checkpoint (a persisted snapshot at rest; the log stays
  // the truth), then record what a restart (or the death of the instance that owned it) cut
  // short, so the live actor starts at rest and never restarts IO by itself.
  const checkpoint = await deps.checkpoints.latest(conversationId);
  const read = (afterSeq: number, limit: number) => log.read(conversationId, afterSeq, limit);
  let { snapshot, lastSeq } = await foldLog(read, checkpoint);
  let checkpointSeq = checkpoint?.seq ?? 0;
  /** Writes `event` alone as the next entry once it is durable, and moves `lastSeq` past it. */
  async function appendNext(event: ConversationEvent): Promise<LogEntry> {
    const entry = await log.append({ conversationId, seq: lastSeq + 1, event, at: deps.clock() });
    lastSeq = entry.seq;
    return entry;
  }
  for (let fact = restartInterruption(snapshot); fact; fact = restartInterruption(snapshot)) {
    const entry = await appendNext(fact);
    snapshot = replay([entry], { snapshot, seq: entry.seq - 1 });
    logger.warn({ conversationId, fact: fact.type }, 'marked work cut short by a restart');
  }
  // The last seq every watcher has been sent (durable); `lastSeq` may run ahead of it.
  let publishedSeq = lastSeq;
  const readCheckpoint = checkpointMessages(deps.checkpoints, conversationId, logger);
  const fanOut = createFanOut(read, () => publishedSeq, {
    // This runtime saves the conversation's checkpoints: it knows when the latest is of no use.
    latestCheckpoint: (afterSeq) =>
      checkpointSeq > afterSeq ? readCheckpoint() : Promise.resolve(null),
  });

  const actor: Actor<AnyStateMachine> = createActor(deps.liveMachine, {
    // With the approval timer of calls still waiting started again (APPROVAL_TTL).
    snapshot: resumableSnapshot(snapshot),
    ...(deps.inspect ? { inspect: deps.inspect } : {}),
  });
  // IO actors report through this: it never throws back into them. A fact that cannot be recorded
  // (a full disk, a lost database) stops the conversation instead, so the next open rebuilds it
  // from the log.
  deps.factRoutes.bind(actor.system, dispatchFact);
  actor.start();
  // The actor folds a streamed answer as replay does: a run of deltas of one block (or of a tool's
  // chunks) is consumed as one merged delta once the run ends (any other event ends it), not
  // delta by delta. Each delta is still logged and published on its own at once; only the
  // actor's copy of the text lags, and nothing reads it before the run ends (see `current()`).
  // This is the server's largest saving per delta (docs/performance.md).
  const runs = createDeltaRuns(
    (event) => actor.send(event),
    (event) => actor.getSnapshot().can(event),
  );
  // A rebuild that folded many entries saves what it folded: the next one, and a tab's catch-up,
  // start from it. Awaited: the tabs that wait for this opening then catch up from it.
  await maybeCheckpoint(lastSeq);
  // Calls left waiting (by a restart, or before POLICY_FILE named them) are judged again now.
  if (deps.policy && pendingToolCalls(snapshot.context).length > 0) {
    enqueue({ run: () => appendDeciding().catch(fail) });
  }

  /** The actor's state with every applied delta folded in: what a decision must read. */
  function current(): ConversationSnapshot {
    runs.release();
    return actor.getSnapshot() as ConversationSnapshot;
  }

  /** Publishes consecutive entries, as one message to each tab. */
  function publish(...entries: LogEntry[]) {
    const last = entries.at(-1);
    if (stopped || last === undefined) return;
    publishedSeq = last.seq;
    fanOut.publish(entries);
  }

  /** Appends an event that is written alone, then applies it and publishes it. */
  async function appendNow(event: ConversationEvent): Promise<LogEntry> {
    const entry = await appendNext(event);
    runs.push(event);
    publish(entry);
    void maybeCheckpoint(entry.seq);
    return entry;
  }

  /**
   * Whether the machine, as it is now, would take this fact. A stale one (the stream of a turn
   * that was stopped, a chunk of a cancelled run, a chunk out of order) is dropped: the log holds
   * only what happened. A delta or chunk that continues the run being held was decided with the
   * run's first: nothing that could change the answer has been applied since. Any other fact is
   * judged with the held run folded in (a chunk's guard counts the run's chunks); it would end
   * the run as it is pushed anyway, so folding it first costs nothing more.
   */
  function factApplies(fact: FactEvent): boolean {
    return runs.continues(fact) || current().can(fact);
  }

  /**
   * A streamed fact is applied at once (a delta as part of its run), written with the other
   * streamed facts of its commit, and published when that commit is durable. Any other fact
   * first waits for what is pending, then is written alone before it takes effect: a decision is
   * in the log before its tool can start.
   */
  function consumeFact(fact: FactEvent): void | Promise<void> {
    if (!factApplies(fact)) {
      logger.debug({ conversationId, type: fact.type }, 'a fact the conversation no longer takes');
      return;
    }
    if (GROUP_COMMITTED.has(fact.type)) {
      lastSeq += 1;
      runs.push(fact);
      deps.writer.append(
        { conversationId, seq: lastSeq, event: fact, at: deps.clock() },
        publish,
        fail,
      );
      return;
    }
    return (async () => {
      await deps.writer.flush();
      // Writing what was pending failed and stopped this conversation: nothing more is appended.
      if (stopped) return;
      if (fact.type === 'assistant.completed') await appendDeciding(fact);
      else await appendNow(fact);
    })();
  }

  /**
   * Appends an event (the completion of a turn that asks for tools, or none at open) and the
   * policy's decisions on the calls then waiting, each applied in turn, and publishes them
   * together, as one message: a tab folds the calls and their decisions in one go, so a call the
   * server decides (by a rule or a grant) never shows a dialog, not even for a frame. A
   * completion is durable before its decisions; if the process dies in between, the next open
   * decides the calls again.
   */
  async function appendDeciding(event?: ConversationEvent) {
    const held: LogEntry[] = [];
    const write = async (next: ConversationEvent) => {
      held.push(await appendNext(next));
      runs.push(next);
    };
    try {
      if (event) await write(event);
      const waiting = deps.policy ? pendingToolCalls(current().context) : [];
      const decisions =
        waiting.length > 0 && deps.policy ? await deps.policy(waiting, conversationId) : [];
      for (const decision of decisions) {
        if (stopped || !current().can(decision)) continue;
        await write(decision);
      }
    } finally {
      publish(...held);
      const last = held.at(-1);
      if (last) void maybeCheckpoint(last.seq);
    }
  }

  /**
   * Runs the queued steps in order, one at a time. A step that finishes at once (a streamed
   * fact) lets the next run in the same turn; one that writes alone is awaited first.
   */
  async function drain() {
    busy = true;
    try {
      for (let step = queue.shift(); step && !stopped; step = queue.shift()) {
        const pending = step.run();
        if (pending) await pending;
      }
    } finally {
      busy = false;
    }
  }

  function enqueue(step: Step) {
    if (stopped) {
      step.abandon?.();
      return;
    }
    queue.push(step);
    if (!busy) void drain();
  }

  function dispatchFact(fact: FactEvent) {
    if (stopped) {
      logger.debug({ conversationId, type: fact.type }, 'event after stop ignored');
      return;
    }
    enqueue({
      run() {
        try {
          const pending = consumeFact(fact);
          if (pending) return pending.catch(fail);
        } catch (error) {
          fail(error);
        }
      },
    });
  }

  /**
   * The command as it is written: a user message gets the server's time; an "Always allow" or
   * "Always allow everywhere" decision the tool and server its grant names, so the store keeps
   * the grant in the append's transaction (docs/policies.md).
   */
  function stamped(input: CommandInput): CommandEvent {
    if (input.type === 'user.message') return { ...input, at: deps.clock() } as CommandEvent;
    if (input.type === 'tool.approve' && input.scope !== 'once') {
      const call = current().context.items.find(
        (item) => item.kind === 'tool' && item.toolUseId === input.toolUseId,
      );
      if (call?.kind === 'tool') {
        const server = deps.toolServer?.(call.name);
        return {
          ...input,
          grant: { toolName: call.name, ...(server === undefined ? {} : { server }) },
        };
      }
    }
    return input as CommandEvent;
  }

  /** The grant is in the store with its decision (or gone with its revocation): tell the tabs. */
  async function announceGrant(event: CommandEvent) {
    const changes =
      (event.type === 'tool.approve' && event.grant !== undefined) ||
      event.type === 'policy.revoke';
    if (!changes || !deps.grantsChanged) return;
    try {
      await deps.grantsChanged(conversationId);
    } catch (error) {
      logger.warn({ err: error, conversationId }, 'grants not announced');
    }
  }

  /** At rest and far enough from the last one: save the snapshot, so a rebuild folds only the tail. */
  async function maybeCheckpoint(seq: number) {
    if (!checkpointDue(seq, checkpointSeq, actor.getSnapshot())) return;
    const saving = actor.getPersistedSnapshot();
    checkpointSeq = seq;
    try {
      await deps.checkpoints.save(conversationId, seq, saving);
    } catch (error) {
      // Only an optimisation: the log is complete without it.
      logger.warn({ err: error, conversationId, seq }, 'checkpoint not saved');
    }
  }

  /** Stops the actor and its IO, and forgets every watcher and every queued step. */
  function halt() {
    stopped = true;
    for (const step of queue.splice(0)) step.abandon?.();
    actor.stop();
    fanOut.clear();
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
    fanOut.tell(
      JSON.stringify({
        type: 'error',
        code: 'internal',
        conversationId,
        message:
          'This conversation could not be saved and was stopped. Reload to continue from what was saved.',
      }),
    );
    deps.onFailure?.();
    halt();
  }

  return {
    conversationId,
    /**
     * A person's command: applied once per commandId (a resent one is a duplicate), stamped with
     * the server's time, judged against the conversation as it is when its turn in the queue
     * comes, and only then appended, applied and published. A refused command changes nothing,
     * the log included.
     */
    command(input: CommandInput): Promise<CommandOutcome> {
      return new Promise<CommandOutcome>((resolve, reject) => {
        enqueue({
          abandon: () => resolve(CLOSING),
          run: async () => {
            try {
              if (await deps.commands.has(conversationId, input.commandId)) {
                resolve({ status: 'duplicate' });
                return;
              }
              if (stopped) return resolve(CLOSING);
              const event = stamped(input);
              const rejection =
                commandRejection(current(), event) ?? (await deps.admit?.(event)) ?? null;
              if (rejection) return resolve({ status: 'rejected', ...rejection });
              // What is pending is older than this command: it goes first, or the log's order
              // would not be the order in which the actor took them.
              await deps.writer.flush();
              if (stopped) return resolve(CLOSING);
              const entry = await appendNow(event);
              await announceGrant(event);
              resolve({ status: 'accepted', seq: entry.seq });
            } catch (error) {
              // Not written, not applied. A command already in the log (another instance took
              // it meanwhile) is a duplicate; a seq someone else took means this runtime is not
              // the conversation's only writer any more: it stops, and is rebuilt from the log.
              if (error instanceof DuplicateCommandError) return resolve({ status: 'duplicate' });
              if (error instanceof SeqConflictError) {
                fail(error);
                return resolve(CLOSING);
              }
              // Anything else: the conversation goes on as it was.
              reject(error);
            }
          },
        });
      });
    },
    /** The durable entries after a seq, then the live ones as they become durable (fan-out.ts). */
    subscribe: fanOut.subscribe,
    unsubscribe: fanOut.unsubscribe,
    /**
     * True when nothing runs and nobody watches: the registry may stop it. Calls waiting for a
     * deadline (APPROVAL_TTL) keep it open, so that they expire and Claude hears it on time.
     */
    isDormant: () => {
      const now = actor.getSnapshot();
      const expiring =
        now.matches('awaitingApproval') && now.context.approvalExpiresAt !== undefined;
      return fanOut.size === 0 && !busy && isAtRest(now) && !expiring;
    },
    /** The actor's state, with every delta applied so far folded in. */
    snapshot(): ConversationSnapshot {
      if (stopped) return actor.getSnapshot() as ConversationSnapshot;
      return current();
    },
    /**
     * Stops the actor (its IO too) and forgets its watchers. What is waiting in the group commit
     * is still written; a step not yet run is answered as closing.
     */
    stop() {
      // The last state, whole: a held run is folded in before the actor stops.
      if (!stopped) runs.release();
      halt();
    },
    /**
     * Stops at once, and what waits in the group commit is never written: this instance lost the
     * store and may no longer own the conversation, whose next owner rebuilds it from the log.
     */
    drop() {
      deps.writer.forget(fail);
      halt();
    },
  };
}

export type ConversationRuntime = Awaited<ReturnType<typeof openConversationRuntime>>;
