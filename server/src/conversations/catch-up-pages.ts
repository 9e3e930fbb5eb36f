import type { LogEntry } from '@tollgate/machines';

/** About how much of the log one catch-up message carries. */
export const CATCH_UP_PAGE_BYTES = 256 * 1024;

/**
 * A reconnecting or new tab's missed entries as `entries` messages of about `pageBytes` each
 * (a single larger entry is a page of its own). A long conversation then arrives in a few dozen
 * messages rather than one per entry, and no single message holds the whole log. Each entry is
 * serialised once; the pages are built from those pieces.
 */
export function catchUpPages(
  entries: readonly LogEntry[],
  pageBytes = CATCH_UP_PAGE_BYTES,
): string[] {
  const pages: string[] = [];
  let pieces: string[] = [];
  let size = 0;
  const close = () => {
    if (pieces.length === 0) return;
    pages.push(`{"type":"entries","entries":[${pieces.join(',')}]}`);
    pieces = [];
    size = 0;
  };
  for (const entry of entries) {
    const piece = JSON.stringify(entry);
    if (size > 0 && size + piece.length > pageBytes) close();
    pieces.push(piece);
    size += piece.length;
  }
  close();
  return pages;
}
