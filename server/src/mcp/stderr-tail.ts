import type { Readable } from 'node:stream';
import { MCP_STDERR_TAIL } from '@tollgate/machines';
import type { Logger } from '../logger.ts';

/** Longer lines are cut; shorter than the tail's size, so the newest line is always kept. */
const MAX_LINE = 2_000;

export interface StderrTail {
  /** The last lines the server wrote, to explain why it stopped. */
  lines(): string[];
}

/**
 * Logs a server's stderr line by line (it is where MCP servers over stdio write their logs) and
 * keeps the last lines for status messages: at most MCP_STDERR_TAIL.lines lines and
 * MCP_STDERR_TAIL.chars characters in all, the oldest dropped first.
 */
export function followStderr(stream: Readable | null, logger: Logger): StderrTail {
  const kept: string[] = [];
  let chars = 0;
  let partial = '';
  const take = (line: string) => {
    const trimmed = line.replace(/\r$/, '').slice(0, MAX_LINE);
    if (trimmed.trim() === '') return;
    logger.info({ stream: 'stderr' }, trimmed);
    keepLast(trimmed);
  };
  const keepLast = (line: string) => {
    kept.push(line);
    chars += line.length;
    while (kept.length > MCP_STDERR_TAIL.lines || chars > MCP_STDERR_TAIL.chars) {
      chars -= kept.shift()?.length ?? 0;
    }
  };
  stream?.setEncoding('utf8');
  stream?.on('data', (data: string) => {
    const lines = (partial + data).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(take);
  });
  stream?.on('end', () => {
    if (partial !== '') take(partial);
    partial = '';
  });
  return { lines: () => [...kept] };
}
