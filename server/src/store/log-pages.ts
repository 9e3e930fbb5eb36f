import type { LogEntry } from '@tollgate/machines';

/**
 * How many entries the server reads of a long log at a time (a catch-up, a rebuild): about a
 * message's worth of text deltas (ENTRIES_MESSAGE_BYTES), so a catch-up's first read sends one.
 */
export const LOG_PAGE_ENTRIES = 2_048;

/**
 * The entries after `afterSeq`, a page at a time (`read` is the store's `log.read` for one
 * conversation), until a page shorter than `size` says the log ends there. Never an empty page.
 */
export async function* logPages(
  read: (afterSeq: number, limit: number) => Promise<LogEntry[]>,
  afterSeq: number,
  size = LOG_PAGE_ENTRIES,
): AsyncGenerator<LogEntry[]> {
  for (let after = afterSeq; ; ) {
    const page = await read(after, size);
    const last = page.at(-1);
    if (last === undefined) return;
    yield page;
    if (page.length < size) return;
    after = last.seq;
  }
}
