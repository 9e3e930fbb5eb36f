// The arbitrary cut points are the emulator's main weapon against fragile stream parsers, so they
// are checked directly: they must land inside escapes and UTF-8 characters, but never split a
// surrogate pair, and must always reassemble to the original.

import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';
import { splitBytes, splitText } from './split-points.ts';
import { buildStreamEvents } from './stream-events.ts';

const INPUT = { text: 'a\nb "c" \\ d \u0000 é 日 🎉👍🏽 𝄞', list: [1, null, true] };
const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

function partialJsonOf(seed: number): string[] {
  const events = buildStreamEvents(
    {
      kind: 'stream',
      blocks: [{ type: 'tool_use', id: 'toolu_s', name: 'edit', input: INPUT }],
      stopReason: 'tool_use',
      seed,
    },
    { messageId: 'msg_x', model: 'm', defaultInputTokens: 1 },
  );
  return events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => (e.data.delta as { partial_json: string }).partial_json);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

describe('stream splitting', () => {
  it('starts tool input with "" and reassembles it exactly at every seed', () => {
    for (const seed of SEEDS) {
      const fragments = partialJsonOf(seed);
      expect(fragments[0]).toBe('');
      expect(fragments.slice(1).every((f) => f.length > 0)).toBe(true);
      expect(fragments.join('')).toBe(JSON.stringify(INPUT));
    }
  });

  it('cuts inside escapes and keys but never inside a surrogate pair', () => {
    const all = SEEDS.flatMap(partialJsonOf);
    expect(all.some((f) => f.endsWith('\\'))).toBe(true);
    expect(all.some((f) => /\\u00?0?$/.test(f))).toBe(true);
    expect(all.some((f) => f.startsWith('ext"'))).toBe(true);
    expect(all.some((f) => isHighSurrogate(f.charCodeAt(f.length - 1)))).toBe(false);
    expect(all.some((f) => f.length > 0 && /^[\udc00-\udfff]/.test(f))).toBe(false);
  });

  it('is deterministic for a seed', () => {
    expect(partialJsonOf(9)).toEqual(partialJsonOf(9));
    expect(splitText('abcdefghijklmnop', seededRandom(3))).toEqual(
      splitText('abcdefghijklmnop', seededRandom(3)),
    );
  });

  it('cuts bytes inside multi-byte UTF-8 characters and loses nothing', () => {
    const bytes = new TextEncoder().encode('data: {"t":"é日🎉"}\n\n');
    let cutInsideCharacter = false;
    for (const seed of SEEDS) {
      const slices = splitBytes(bytes, seededRandom(seed));
      expect(slices.every((s) => s.length > 0)).toBe(true);
      expect(Buffer.concat(slices)).toEqual(Buffer.from(bytes));
      // A UTF-8 continuation byte (10xxxxxx) at the start of a slice means a character was cut.
      if (slices.slice(1).some((s) => ((s[0] ?? 0) & 0xc0) === 0x80)) cutInsideCharacter = true;
    }
    expect(cutInsideCharacter).toBe(true);
  });
});
