import { type ConversationSnapshot, createReplayer, type LogEntry } from '@tollgate/machines';
import type { Checkpoint } from '../store/checkpoint-store.ts';
import { LOG_PAGE_ENTRIES, logPages } from '../store/log-pages.ts';

/**
 * A conversation as its log folds, from `checkpoint` (or from the start), with the seq of the
 * last entry folded. The log is read a page at a time (`read` is the store's `log.read`) and every
 * page folded by one replayer, so opening a long conversation never holds its whole log.
 */
export async function foldLog(
  read: (afterSeq: number, limit: number) => Promise<LogEntry[]>,
  checkpoint: Checkpoint | null,
  pageEntries = LOG_PAGE_ENTRIES,
): Promise<{ snapshot: ConversationSnapshot; lastSeq: number }> {
  let lastSeq = checkpoint?.seq ?? 0;
  const replayer = createReplayer(
    checkpoint
      ? { snapshot: checkpoint.snapshot as ConversationSnapshot, seq: lastSeq }
      : undefined,
  );
  try {
    for await (const page of logPages(read, lastSeq, pageEntries)) {
      replayer.fold(page);
      lastSeq = page.at(-1)?.seq ?? lastSeq;
    }
    return { snapshot: replayer.snapshot(), lastSeq };
  } finally {
    replayer.stop();
  }
}
