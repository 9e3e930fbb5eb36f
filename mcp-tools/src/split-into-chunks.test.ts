import { describe, expect, it } from 'vitest';
import { splitIntoChunks } from './split-into-chunks.ts';

describe('splitIntoChunks', () => {
  it.each([1, 2, 3, 5, 7, 16, 4096])(
    'never cuts a character and loses nothing at %i bytes',
    (max) => {
      const text = 'aç日🍍👩🏽‍💻 x\n'.repeat(40);
      const chunks = splitIntoChunks(text, max);
      expect(chunks.map((c) => c.text).join('')).toBe(text);
      expect(Buffer.concat(chunks.map((c) => c.bytes)).equals(Buffer.from(text))).toBe(true);
      for (const chunk of chunks) {
        expect(Buffer.from(chunk.text).equals(chunk.bytes)).toBe(true);
        expect(chunk.bytes.length).toBeLessThanOrEqual(Math.max(max, 4));
      }
    },
  );

  it('gives no chunk for empty text', () => {
    expect(splitIntoChunks('', 16)).toEqual([]);
  });
});
