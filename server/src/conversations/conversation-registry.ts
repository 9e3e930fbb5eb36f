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

const NO_ANSWER = {
  status: 'rejected',
  code: 'closing',
  message:
    'The server running this conversation did not answer in time. If it took the command, it shows in the conversation; if not, send it again.',
} as const;

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

  async function openRuntime(conversationId: string): Promise<ConversationRuntime> {
    const runtime = await openConversationRuntime({
      ...deps.runtimeDeps,
      conversationId,
      log: store.log,
      checkpoints: store.checkpoints,
      commands: store.commands,
      writer,
      // A runtime that stopped itself (its log could not be written) is dropped and given up; the
      // next use claims and rebuilds it from the log.
      onFailure: () => {
        if (roles.get(conversationId)?.kind === 'owner') roles.delete(conversationId);
        void cluster.release(conversationId).catch(() => {});
      },
      logger: logger.child({ conversationId }),
    });
    return runtime;
  }

  async function openRole(conversationId: string): Promise<Role | null> {
    if (!(await store.conversations.has(conversationId))) return null;
    if (await cluster.claim(conversationId)) {
      return { kind: 'owner', runtime: await openRuntime(conversationId) };
    }
    const follower = openConversationFollower({
      conversationId,
      read: (afterSeq) => store.log.read(conversationId, afterSeq),
      lastSeq: await store.log.lastSeq(conversationId),
      logger: logger.child({ conversationId }),
    });
    logger.debug({ conversationId }, 'following a conversation another instance owns');
    return { kind: 'follower', follower };
  }

  /** The conversation's role here, opened (and claimed, if nobody holds it) on first use. */
  function role(conversationId: string): Promise<Role | null> {
    const known = roles.get(conversationId);
    if (known) return Promise.resolve(known);
    let promise = opening.get(conversationId);
    if (!promise) {
      // The role is known before the opening is forgotten: no moment in which neither is there.
      promise = openRole(conversationId)
        .then((opened) => {
          if (opened) roles.set(conversationId, opened);
          return opened;
        })
        .finally(() => opening.delete(conversationId));
      opening.set(conversationId, promise);
    }
    return promise;
  }

  /**
   * Tries to take a followed conversation over (its owner may have died): claims it, rebuilds it
   * from the log and hands the follower's watchers to the new runtime, each resuming after the
   * last entry it was sent. True if this instance owns it now.
   */
  async function takeOver(conversationId: string): Promise<boolean> {
    const pending = opening.get(conversationId);
    if (pending) await pending;
    const current = roles.get(conversationId);
    if (current?.kind === 'owner') return true;
    if (!current) return false;
    const promotion = (async (): Promise<Role | null> => {
      if (!(await cluster.claim(conversationId))) return current;
      const runtime = await openRuntime(conversationId);
      const owned: Role = { kind: 'owner', runtime };
      roles.set(conversationId, owned);
      for (const { subscriber, afterSeq, options } of current.follower.close()) {
        void runtime.subscribe(subscriber, afterSeq, options);
      }
      logger.info({ conversationId }, 'took over a conversation whose owner is gone');
      return owned;
    })().finally(() => opening.delete(conversationId));
    opening.set(conversationId, promotion);
    return (await promotion)?.kind === 'owner';
  }

  async function command(conversationId: string, input: CommandInput): Promise<RelayedOutcome> {
    const current = await role(conversationId);
    if (!current) return NO_ANSWER;
    if (current.kind === 'owner') return current.runtime.command(input);
    // Followed: if nobody holds it any more (its owner died, or let it rest), it is run here from
    // now on; otherwise the command goes to the instance that holds it. A command its owner
    // applied before it died is a duplicate here, never a second copy (the command id).
    if (await takeOver(conversationId)) return command(conversationId, input);
    const owner = await cluster.ownerOf(conversationId);
    if (!owner || owner === cluster.instanceId) return NO_ANSWER;
    const outcome = await cluster.relay(owner, conversationId, input, relayTimeoutMs);
    return outcome ?? NO_ANSWER;
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
      unsubscribe(subscriber) {
        const current = roles.get(conversationId);
        if (current?.kind === 'owner') current.runtime.unsubscribe(subscriber);
        else current?.follower.unsubscribe(subscriber);
      },
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
    logger.error({ err: error }, 'lost the store: every conversation here is dropped');
    for (const [id, current] of roles) stopRole(id, current, 'drop');
    for (const listener of lostListeners) listener();
  });
  cluster.serve(async (conversationId, input) => {
    const current = await role(conversationId);
    if (current?.kind !== 'owner') return NO_ANSWER;
    return current.runtime.command(input);
  });

  return {
    /** A stored conversation as the gateway reaches it, or null if there is no such conversation. */
    async get(conversationId: string): Promise<LiveConversation | null> {
      return (await role(conversationId)) ? handle(conversationId) : null;
    },
    /** The running conversation's actor state, if this instance owns it (tests, the inspector). */
    runtime(conversationId: string): ConversationRuntime | null {
      const current = roles.get(conversationId);
      return current?.kind === 'owner' ? current.runtime : null;
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
      await writer.flush();
      for (const [id, current] of roles) stopRole(id, current);
    },
  };
}

export type ConversationRegistry = ReturnType<typeof createConversationRegistry>;
