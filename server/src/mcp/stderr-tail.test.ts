import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../test/silent-logger.ts';
import { followStderr } from './stderr-tail.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("a server's stderr tail", () => {
  it('keeps the last 20 lines, whole, across writes that split them', async () => {
    const stream = new PassThrough();
    const tail = followStderr(stream, silentLogger());
    const text = Array.from({ length: 25 }, (_, i) => `line ${i + 1}\r\n\n`).join('');
    stream.write(text.slice(0, 37));
    stream.write(text.slice(37));
    stream.end('no newline at the end');
    await settle();
    expect(tail.lines()).toEqual([
      ...Array.from({ length: 19 }, (_, i) => `line ${i + 7}`),
      'no newline at the end',
    ]);
  });

  it('keeps at most 4,096 characters, dropping the oldest lines first', async () => {
    const stream = new PassThrough();
    const tail = followStderr(stream, silentLogger());
    // Each line is cut at 2,000 characters: two fit, a third pushes the first out.
    stream.write(`${'a'.repeat(1_500)}\n${'b'.repeat(5_000)}\n${'c'.repeat(1_500)}\n`);
    await settle();
    expect(tail.lines()).toEqual(['b'.repeat(2_000), 'c'.repeat(1_500)]);
    stream.write(`${'d'.repeat(500)}\n`);
    await settle();
    expect(tail.lines()).toEqual(['b'.repeat(2_000), 'c'.repeat(1_500), 'd'.repeat(500)]);
    expect(tail.lines().join('').length).toBeLessThanOrEqual(4_096);
  });
});
