import type { CommandInput } from '@tollgate/machines';
import type { Logger } from '../logger.ts';
import type { RelayedOutcome } from '../store/cluster.ts';
import type { Store } from '../store/store.ts';
import { type ConversationFollower, openConversationFollower } from './conversation-follower.ts';
import {
  type ConversationRuntime,
  type ConversationRuntimeDeps,
  openConversationRuntime,
} from './conversation-runtime.ts';
import type { SubscribeOptions, Subscriber } from './fan-out.ts';
import { createLogWriter } from './log-writer.ts';

export interface ConversationRegistryDeps {
  store: Pick<Store, 'log' | 'conversations' | 'checkpoints' | 'commands' | 'cluster'>;
  logger: Logger;
  runtimeDeps: Omit<
    ConversationRuntimeDeps,
    'conversationId' | 'log' | 'checkpoints' | 'commands' | 'logger' | 'writer'
  >;
  /** How often dormant conversations (at rest, nobody watching) are stopped. */
  sweepEveryMs?: number;
  /** How often a watched conversation another instance owns is tried for (its owner may be dead). */
  takeOverEveryMs?: number;
  /** How long a command relayed to the owner may wait for its answer. */
  relayTimeoutMs?: number;
}

/** What this instance does with a conversation: runs it (owner), or shows another's (follower). */
type Role =
  | { kind: 'owner'; runtime: ConversationRuntime }
  | { kind: 'follower'; follower: ConversationFollower };

/** A conversation as the gateway reaches it, whichever instance owns it. */
export interface LiveConversation {
  readonly conversationId: string;
  /** Sends the entries after `afterSeq`, then the live ones; resolves with the last seq sent. */
  subscribe(
    subscriber: Subscriber,
    afterSeq: number,
    options?: SubscribeOptions,
  ): Promise<number | null>;
  unsubscribe(subscriber: Subscriber): void;
  /** The outcome, from whichever instance owns the conversation. */
  command(input: CommandInput): Promise<RelayedOutcome>;
}

/** A command this instance could not hand to the conversation's owner: sending it again is safe. */
const refused = (message: string): RelayedOutcome => ({
  status: 'rejected',
  code: 'closing',
  message,
});

const NO_ANSWER = refused(
  'The server running this conversation did not answer in time. If it took the command, it shows in the conversation; if not, send it again.',
);
const MOVING = refused(
  'This conversation is moving to another server right now; send it again in a moment.',
);

/**
 * The conversations this instance shows, each opened on demand and stopped again once dormant,
 * so memory follows activity, not history. On a store shared by several instances (the
 * cluster), a conversation is run by the one instance that claimed it (its owner: the live
 * actor, the only writer of its log) and followed by the others, which read its log as the owner
 * announces it and relay their tabs' commands to the owner. A watched conversation whose owner
 * is gone is taken over (rebuilt from the log, as after a restart) within `takeOverEveryMs`, or
 * at the next command. When this instance loses the store it drops every conversation at once
 * (`onLost`), since it may no longer own any.
 */
export function createConversationRegistry(deps: ConversationRegistryDeps) {
  const { store, logger } = deps;
  const { cluster } = store;
  const relayTimeoutMs = deps.relayTimeoutMs ?? 5_000;
  const roles = new Map<string, Role>();
  const opening = new Map<string, Promise<Role | null>>();
  const handles = new Map<string, LiveConversation>();
  const writer = createLogWriter(store.log, (error) =>
    logger.error({ err: error }, 'writing streamed facts failed'),
  );
  const lostListeners = new Set<() => void>();

  // Bumped each time this instance loses the store: an opening that began before the loss
  // must not leave a runtime behind it, since the claim it made went with the session.
  let generation = 0;

  /** Thrown by an opening that the loss of the store overtook. */
  const overtaken = () =>
    new Error('this instance lost the store while it opened the conversation');

  async function openRuntime(conversationId: string, since: number): Promise<ConversationRuntime> {
    let runtime: ConversationRuntime | undefined;
    try {
      runtime = await openConversationRuntime({
        ...deps.runtimeDeps,
        conversationId,
        log: store.log,
        checkpoints: store.checkpoints,
        commands: store.commands,
        writer,
        // A runtime that stopped itself (its log could not be written, or another writer took its
        // next seq) is forgotten and its claim given up; the next use claims and rebuilds it.
        onFailure: () => {
          const current = roles.get(conversationId);
          if (current?.kind !== 'owner' || current.runtime !== runtime) return;
          roles.delete(conversationId);
          handles.delete(conversationId);
          void cluster.release(conversationId).catch(() => {});
        },
        logger: logger.child({ conversationId }),
      });
    } catch (error) {
      // Not running here, so not held here: another instance may try.
      await cluster.release(conversationId).catch(() => {});
      throw error;
    }
    if (since !== generation) {
      runtime.drop();
      throw overtaken();
    }
    return runtime;
  }

  async function openRole(conversationId: string): Promise<Role | null> {
    const since = generation;
    if (!(await store.conversations.has(conversationId))) return null;
    if (await cluster.claim(conversationId)) {
      return { kind: 'owner', runtime: await openRuntime(conversationId, since) };
    }
    const lastSeq = await store.log.lastSeq(conversationId);
    if (since !== generation) throw overtaken();
    const follower = openConversationFollower({
      conversationId,
      read: (afterSeq, limit) => store.log.read(conversationId, afterSeq, limit),
      lastSeq,
      checkpoints: store.checkpoints,
      logger: logger.child({ conversationId }),
    });
    logger.debug({ conversationId }, 'following a conversation another instance owns');
    return { kind: 'follower', follower };
  }

  /**
   * Runs one opening or promotion of a conversation at a time: `open` starts once any under way
   * has ended, and its role is recorded before it stops counting as under way.
   */
  function exclusively(conversationId: string, open: () => Promise<Role | null>) {
    const before = opening.get(conversationId) ?? Promise.resolve(null);
    const next: Promise<Role | null> = before
      .catch(() => null)
      .then(open)
      .then((opened) => {
        if (opened) roles.set(conversationId, opened);
        return opened;
      })
      .finally(() => {
        if (opening.get(conversationId) === next) opening.delete(conversationId);
      });
    opening.set(conversationId, next);
    return next;
  }

  /** The conversation's role here, opened (and claimed, if nobody holds it) on first use. */
  function role(conversationId: string): Promise<Role | null> {
    const known = roles.get(conversationId);
    if (known) return Promise.resolve(known);
    return (
      opening.get(conversationId) ??
      exclusively(conversationId, () => {
        // Opened meanwhile by the one before.
        const opened = roles.get(conversationId);
        return opened ? Promise.resolve(opened) : openRole(conversationId);
      })
    );
  }

  /**
   * Tries to take a followed conversation over (its owner may have died): claims it, rebuilds it
   * from the log and hands the follower's watchers to the new runtime, each resuming after the
   * last entry it was sent. True if this instance owns it now. One attempt at a time.
   */
  async function takeOver(conversationId: string): Promise<boolean> {
    const promoted = await exclusively(conversationId, async () => {
      const current = roles.get(conversationId);
      if (current?.kind !== 'follower') return current ?? null;
      const since = generation;
      if (!(await cluster.claim(conversationId))) return current;
      const runtime = await openRuntime(conversationId, since);
      const owned: Role = { kind: 'owner', runtime };
      roles.set(conversationId, owned);
      for (const { subscriber, afterSeq, options } of current.follower.close()) {
        runtime
          .subscribe(subscriber, afterSeq, options)
          .catch((error) =>
            logger.warn({ err: error, conversationId }, 'a watcher could not be handed over'),
          );
      }
      logger.info({ conversationId }, 'took over a conversation whose owner is gone');
      return owned;
    });
    return promoted?.kind === 'owner';
  }

  async function command(conversationId: string, input: CommandInput): Promise<RelayedOutcome> {
    const current = await role(conversationId);
    if (!current) return refused(`There is no conversation ${conversationId}.`);
    if (current.kind === 'owner') return current.runtime.command(input);
    // Followed: if nobody holds it any more (its owner died, or let it rest), it is run here from
    // now on; otherwise the command goes to the instance that holds it. A command its owner
    // applied before it died is a duplicate here, never a second copy (the command id).
    if (await takeOver(conversationId)) return command(conversationId, input);
    const owner = await cluster.ownerOf(conversationId);
    // Held, but by no instance on record yet (it is being claimed): nobody to send it to.
    if (!owner || owner === cluster.instanceId) return MOVING;
    const outcome = await cluster.relay(owner, conversationId, input, relayTimeoutMs);
    if (outcome) return outcome;
    // No answer: the owner may have died just as the command came (its lock is freed only once
    // PostgreSQL has noticed). Take the conversation if it is free now, and run the command here.
    if (await takeOver(conversationId)) return command(conversationId, input);
    return NO_ANSWER;
  }

  function unsubscribe(conversationId: string, subscriber: Subscriber) {
    const current = roles.get(conversationId);
    if (current?.kind === 'owner') current.runtime.unsubscribe(subscriber);
    else current?.follower.unsubscribe(subscriber);
  }

  function handle(conversationId: string): LiveConversation {
    let known = handles.get(conversationId);
    if (known) return known;
    known = {
      conversationId,
      async subscribe(subscriber, afterSeq, options) {
        const current = await role(conversationId);
        if (!current) return null;
        return current.kind === 'owner'
          ? current.runtime.subscribe(subscriber, afterSeq, options)
          : current.follower.subscribe(subscriber, afterSeq, options);
      },
      unsubscribe: (subscriber) => unsubscribe(conversationId, subscriber),
      command: (input) => command(conversationId, input),
    };
    handles.set(conversationId, known);
    return known;
  }

  function stopRole(conversationId: string, current: Role, how: 'stop' | 'drop' = 'stop') {
    roles.delete(conversationId);
    handles.delete(conversationId);
    if (current.kind === 'owner') current.runtime[how]();
    else current.follower.close();
  }

  const sweep = setInterval(() => {
    for (const [id, current] of roles) {
      if (current.kind === 'owner' && current.runtime.isDormant()) {
        stopRole(id, current);
        void cluster.release(id).catch(() => {});
        logger.debug({ conversationId: id }, 'stopped dormant conversation');
      } else if (current.kind === 'follower' && !current.follower.watched) {
        stopRole(id, current);
      }
    }
  }, deps.sweepEveryMs ?? 60_000);
  sweep.unref();

  const takeOvers = setInterval(() => {
    if (!cluster.healthy()) return;
    for (const [id, current] of roles) {
      if (current.kind === 'follower' && current.follower.watched && !opening.has(id)) {
        void takeOver(id).catch((error) =>
          logger.warn({ err: error, conversationId: id }, 'taking a conversation over failed'),
        );
      }
    }
  }, deps.takeOverEveryMs ?? 1_000);
  takeOvers.unref();

  const stopFollowingLog = cluster.onLogChanged((conversationId, lastSeq) => {
    const current = roles.get(conversationId);
    if (current?.kind === 'follower') current.follower.announced(lastSeq);
  });
  // Lost: this instance may own nothing any more. Every conversation is dropped at once (their
  // IO stops with them) and whoever watches is told, to come back once the store is.
  const stopLost = cluster.onLost((error) => {
    generation++;
    logger.error({ err: error }, 'lost the store: every conversation here is dropped');
    for (const [id, current] of roles) stopRole(id, current, 'drop');
    for (const listener of lostListeners) listener();
  });
  // A conversation deleted, here or on another instance: whatever of it runs here stops at once
  // (a tool run is cancelled), and nothing it still had to write is written.
  const stopDeleted = store.conversations.onDeleted((conversationId) => {
    const current = roles.get(conversationId);
    if (!current) return;
    stopRole(conversationId, current, 'drop');
    if (current.kind === 'owner') void cluster.release(conversationId).catch(() => {});
    logger.info({ conversationId }, 'stopped a deleted conversation');
  });
  cluster.serve(async (conversationId, input) => {
    const current = await role(conversationId);
    if (current?.kind !== 'owner') return MOVING;
    return current.runtime.command(input);
  });

  return {
    /** A stored conversation as the gateway reaches it, or null if there is no such conversation. */
    async get(conversationId: string): Promise<LiveConversation | null> {
      return (await role(conversationId)) ? handle(conversationId) : null;
    },
    /** Stops sending a conversation's entries to a subscriber; opens (and claims) nothing. */
    unsubscribe,
    /** The running conversation's actor state, if this instance owns it (tests, the inspector). */
    runtime(conversationId: string): ConversationRuntime | null {
      const current = roles.get(conversationId);
      return current?.kind === 'owner' ? current.runtime : null;
    },
    /**
     * Deletes a conversation for good (ConversationIndex.delete): what of it runs here is
     * dropped first (its stream aborted, its tool run cancelled, nothing more written), then
     * the store purges it; other instances drop theirs when the store tells them. Resolves with
     * the owner it had, or undefined if there was no such conversation.
     */
    async delete(conversationId: string) {
      // An opening under way would leave a runtime behind: it ends first.
      await opening.get(conversationId)?.catch(() => null);
      const current = roles.get(conversationId);
      if (current) stopRole(conversationId, current, 'drop');
      try {
        return await store.conversations.delete(conversationId);
      } finally {
        if (current?.kind === 'owner') void cluster.release(conversationId).catch(() => {});
      }
    },
    /** Told when this instance lost the store and dropped every conversation. */
    onLost(listener: () => void): () => void {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    async close() {
      clearInterval(sweep);
      clearInterval(takeOvers);
      stopFollowingLog();
      stopLost();
      stopDeleted();
      await writer.flush();
      for (const [id, current] of roles) stopRole(id, current);
    },
  };
}

export type ConversationRegistry = ReturnType<typeof createConversationRegistry>;
