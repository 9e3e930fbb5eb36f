import { type ConversationSnapshot, type LogEntry, replay } from '@tollgate/machines';
import type { Checkpoint } from '../store/checkpoint-store.ts';
import { LOG_PAGE_ENTRIES } from '../store/conversation-log.ts';

/**
 * A conversation as its log folds, from `checkpoint` (or from the start), with the seq of the
 * last entry folded. The log is read and folded a page at a time (`read` is the store's
 * `log.read`), so opening a long conversation never holds its whole log.
 */
export async function foldLog(
  read: (afterSeq: number, limit: number) => Promise<LogEntry[]>,
  checkpoint: Checkpoint | null,
  pageEntries = LOG_PAGE_ENTRIES,
): Promise<{ snapshot: ConversationSnapshot; lastSeq: number }> {
  let lastSeq = checkpoint?.seq ?? 0;
  let snapshot = checkpoint?.snapshot as ConversationSnapshot | undefined;
  for (;;) {
    const page = await read(lastSeq, pageEntries);
    const last = page.at(-1);
    if (snapshot === undefined || last !== undefined) {
      snapshot = snapshot === undefined ? replay(page) : replay(page, { snapshot, seq: lastSeq });
    }
    if (last === undefined) return { snapshot, lastSeq };
    lastSeq = last.seq;
    if (page.length < pageEntries) return { snapshot, lastSeq };
  }
}
