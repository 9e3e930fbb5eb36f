import type { Readable } from 'node:stream';
import type { Logger } from '../logger.ts';

const KEPT_LINES = 8;
const MAX_LINE = 2_000;

export interface StderrTail {
  /** The last lines the server wrote, to explain why it stopped. */
  lines(): string[];
}

/**
 * Logs a server's stderr line by line (it is where MCP servers over stdio write their logs) and
 * keeps the last few lines for status messages.
 */
export function followStderr(stream: Readable | null, logger: Logger): StderrTail {
  const kept: string[] = [];
  let partial = '';
  const take = (line: string) => {
    const trimmed = line.replace(/\r$/, '').slice(0, MAX_LINE);
    if (trimmed.trim() === '') return;
    logger.info({ stream: 'stderr' }, trimmed);
    kept.push(trimmed);
    if (kept.length > KEPT_LINES) kept.shift();
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
