import type { LogEntry } from '@tollgate/machines';
import type { NewEntry } from './conversation-log.ts';

/**
 * One text a search looks through: a person's message, or one block of Claude's text (its deltas
 * joined). `seq` is the entry it starts at; `anchor` names the timeline item showing it, as the
 * page keys them: `u-<commandId>` for a message, `a-<turn>` for an answer.
 */
export interface SearchText {
  conversationId: string;
  seq: number;
  anchor: string;
  text: string;
}

/** PostgreSQL's text cannot hold U+0000 (a message may); nobody searches for it either. */
const searchable = (text: string) => text.replaceAll('\u0000', ' ');

interface OpenRun {
  turn: number;
  index: number;
  seq: number;
  text: string;
}

/** What a batch of entries adds to the search texts, and how to keep it once it is durable. */
export interface SearchTextPlan {
  texts: SearchText[];
  /** The append committed: the runs the batch left open are remembered for the next one. */
  commit(): void;
}

/**
 * Gathers the searchable texts of the entries a store appends, so that the texts are written in
 * the append's own transaction. A person's message is one text at once; Claude's text streams in
 * deltas, so each block's run of deltas is held (in memory) and written as one text when
 * something else happens in the conversation (the block's end, the turn's end, a stop, a
 * failure). A run cut by the death of the process is lost with it: a restart's interruption
 * finds nothing held, and that partial answer is found by its title only.
 */
export function createSearchTexts() {
  const open = new Map<string, OpenRun>();

  function plan(entries: readonly Pick<NewEntry, 'conversationId' | 'seq' | 'event'>[]) {
    // Changes are staged, and kept only if the append commits.
    const staged = new Map<string, OpenRun | null>();
    const texts: SearchText[] = [];
    const current = (conversationId: string) =>
      staged.has(conversationId) ? staged.get(conversationId) : open.get(conversationId);
    const close = (conversationId: string, run: OpenRun) => {
      if (run.text.trim().length > 0) {
        texts.push({
          conversationId,
          seq: run.seq,
          anchor: `a-${run.turn}`,
          text: searchable(run.text),
        });
      }
    };
    for (const { conversationId, seq, event } of entries) {
      const run = current(conversationId);
      if (event.type === 'assistant.text_delta') {
        if (run && run.turn === event.turn && run.index === event.index) {
          staged.set(conversationId, { ...run, text: run.text + event.text });
          continue;
        }
        if (run) close(conversationId, run);
        staged.set(conversationId, {
          turn: event.turn,
          index: event.index,
          seq,
          text: event.text,
        });
        continue;
      }
      if (run) {
        close(conversationId, run);
        staged.set(conversationId, null);
      }
      if (event.type === 'user.message') {
        texts.push({
          conversationId,
          seq,
          anchor: `u-${event.commandId}`,
          text: searchable(event.text),
        });
      }
    }
    return {
      texts,
      commit() {
        for (const [conversationId, run] of staged) {
          if (run) open.set(conversationId, run);
          else open.delete(conversationId);
        }
      },
    } satisfies SearchTextPlan;
  }

  return {
    plan,
    /** The conversation is gone: whatever it held open goes too. */
    forget(conversationId: string): void {
      open.delete(conversationId);
    },
  };
}

export type SearchTexts = ReturnType<typeof createSearchTexts>;

/**
 * Every searchable text of a log read whole (for a store that learns to search a log written
 * before it could): the texts of `createSearchTexts`, and with `closeOpen` the run the log ends
 * in, as if something had followed it.
 */
export function searchTextsOfLog(entries: readonly LogEntry[], closeOpen: boolean): SearchText[] {
  const last = entries.at(-1);
  // Any other event closes the run; a stop adds no text of its own.
  const closing =
    closeOpen && last
      ? [
          {
            conversationId: last.conversationId,
            seq: last.seq + 1,
            event: { type: 'turn.stop' as const, commandId: 'end-of-log' },
          },
        ]
      : [];
  return createSearchTexts().plan([...entries, ...closing]).texts;
}
