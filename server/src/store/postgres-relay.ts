import { randomUUID } from 'node:crypto';
import { type CommandInput, commandInputSchema } from '@tollgate/machines';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { RelayedOutcome, RelayHandler } from './cluster.ts';
import { parseRelayNotice, relayChannel } from './postgres-channels.ts';
import type { SessionLogger } from './postgres-session.ts';
import { EventStoreError } from './store-errors.ts';

const outcomeSchema: z.ZodType<RelayedOutcome> = z.discriminatedUnion('status', [
  z.object({ status: z.literal('accepted'), seq: z.number().int().positive() }),
  z.object({ status: z.literal('duplicate') }),
  z.object({ status: z.literal('rejected'), code: z.string(), message: z.string() }),
]);

/** A relayed command nobody collected (its sender died) is removed after this long. */
export const STALE_RELAY = '1 hour';

export interface PostgresRelayParts {
  pool: Pool;
  instanceId: string;
  assertOpen(): void;
  logger: SessionLogger;
}

/**
 * Commands passed between instances through `relayed_commands`. The sender writes the row and
 * notifies the owner's channel; the owner takes the row (once), runs the command through its
 * handler, writes the outcome and notifies the sender's channel; the sender reads the outcome and
 * deletes the row. Notifications are only hints: after a reconnect both sides look at the rows
 * for what they missed (`catchUp`).
 */
export function createPostgresRelay({ pool, instanceId, assertOpen, logger }: PostgresRelayParts) {
  /** The sender's commands waiting for an outcome, by row id: collected once, by whichever
   * comes first of the owner's answer and the timeout. */
  const waiting = new Map<string, () => Promise<unknown>>();
  let handler: RelayHandler | undefined;

  /** Deletes a row this instance sent; the owner's outcome, if it wrote one. */
  async function collect(id: string): Promise<RelayedOutcome | null> {
    const { rows } = await pool.query(
      'DELETE FROM relayed_commands WHERE id = $1 RETURNING outcome',
      [id],
    );
    const outcome = rows[0]?.outcome;
    if (typeof outcome !== 'string') return null;
    const parsed = outcomeSchema.safeParse(safeJson(outcome));
    if (!parsed.success) {
      throw new EventStoreError(`the relayed command ${id} came back with a malformed outcome`);
    }
    return parsed.data;
  }

  /** The owner's side: takes the row (unless another delivery did), runs it, answers. */
  async function take(id: string): Promise<void> {
    const serve = handler;
    if (!serve) return; // not serving: the sender times out
    const { rows } = await pool.query(
      `UPDATE relayed_commands SET taken_at = now()
       WHERE id = $1 AND owner_instance_id = $2 AND taken_at IS NULL
       RETURNING conversation_id, command`,
      [id, instanceId],
    );
    const row = rows[0] as { conversation_id: string; command: string } | undefined;
    if (!row) return;
    let outcome: RelayedOutcome;
    const command = commandInputSchema.safeParse(safeJson(row.command));
    if (!command.success) {
      outcome = {
        status: 'rejected',
        code: 'bad_message',
        message: 'the relayed command is malformed',
      };
    } else {
      try {
        outcome = await serve(row.conversation_id, command.data);
      } catch (error) {
        logger.warn(
          { err: error, conversationId: row.conversation_id },
          'a relayed command failed',
        );
        outcome = { status: 'rejected', code: 'internal', message: (error as Error).message };
      }
    }
    // No row (the sender gave up and deleted it) means no answer.
    await pool.query(
      `WITH answered AS (
         UPDATE relayed_commands SET outcome = $2 WHERE id = $1 RETURNING sender_instance_id
       )
       SELECT pg_notify('tollgate_relay_' || sender_instance_id, 'outcome ' || $1) FROM answered`,
      [id, JSON.stringify(outcome)],
    );
  }

  function report(what: string) {
    return (error: unknown) => logger.warn({ err: error }, what);
  }

  /** A notification on this instance's relay channel. */
  function notified(payload: string) {
    const notice = parseRelayNotice(payload);
    if (!notice) return;
    if (notice.kind === 'request') {
      take(notice.id).catch(report('could not serve a relayed command'));
      return;
    }
    waiting
      .get(notice.id)?.()
      .catch(() => {}); // the relay's caller has the failure
  }

  return {
    async relay(
      ownerInstanceId: string,
      conversationId: string,
      command: CommandInput,
      timeoutMs: number,
    ): Promise<RelayedOutcome | null> {
      assertOpen();
      const id = randomUUID();
      // Waiting before the row exists: the answer cannot come before the wait.
      let settle!: (outcome: Promise<RelayedOutcome | null>) => void;
      const answered = new Promise<RelayedOutcome | null>((resolve) => {
        settle = resolve;
      });
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        waiting.delete(id);
        // At the answer, or at the timeout: an outcome written meanwhile is the answer, and the
        // row goes either way (null if the owner has not answered).
        const outcome = collect(id);
        settle(outcome);
        return outcome;
      };
      waiting.set(id, done);
      try {
        await pool.query(
          `WITH sent AS (
             INSERT INTO relayed_commands
               (id, sender_instance_id, owner_instance_id, conversation_id, command)
             VALUES ($1, $2, $3, $4, $5) RETURNING id
           )
           SELECT pg_notify($6, 'request ' || id) FROM sent`,
          [
            id,
            instanceId,
            ownerInstanceId,
            conversationId,
            JSON.stringify(command),
            relayChannel(ownerInstanceId),
          ],
        );
      } catch (error) {
        waiting.delete(id);
        throw error;
      }
      // Timed from the moment the row is there: a timeout never races the row's own insert.
      if (waiting.has(id)) timer = setTimeout(done, timeoutMs);
      return answered;
    },
    serve(next: RelayHandler) {
      handler = next;
    },
    notified,
    /** After a reconnect: the requests and answers whose notifications were missed. */
    async catchUp() {
      const ids = [...waiting.keys()];
      if (ids.length > 0) {
        const answered = await pool.query(
          'SELECT id FROM relayed_commands WHERE id = ANY($1::uuid[]) AND outcome IS NOT NULL',
          [ids],
        );
        for (const row of answered.rows) notified(`outcome ${row.id}`);
      }
      if (handler) {
        const pending = await pool.query(
          'SELECT id FROM relayed_commands WHERE owner_instance_id = $1 AND taken_at IS NULL',
          [instanceId],
        );
        for (const row of pending.rows) notified(`request ${row.id}`);
      }
    },
    /** Gives up what still waits: the store is closing (the rows go with it). */
    async close() {
      await Promise.allSettled([...waiting.values()].map((done) => done()));
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
