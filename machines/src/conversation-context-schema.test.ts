import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conversationContextSchema } from './conversation-context-schema.ts';
import { replay } from './replay.ts';
import * as ev from './test-support/event-builders.ts';
import { goldenLogFiles } from './test-support/golden-log-files.ts';
import { logOf } from './test-support/log-of.ts';

const goldenLogs = goldenLogFiles(fs).map(({ path, log }) => ({
  name: path,
  entries: log.entries,
}));

/** Thinking, settings, a title, images and an approval that expires: what the goldens lack. */
const richer = logOf([
  ev.settingsChanged('claude-opus-5-5', 2048, 'Be brief.'),
  ev.renamed('Notes'),
  {
    ...ev.userMessage('What is in this picture?'),
    images: [
      { sha256: 'a'.repeat(64), mediaType: 'image/png', bytes: 1200, width: 40, height: 30 },
    ],
  },
  ev.started(1),
  ev.thinkingDelta(1, 'Looking at it.'),
  ev.thinkingSignature(1, 'sig'),
  ev.textDelta(1, 'A cat. I will note it.', 1),
  ev.toolInputDelta(1, 2, 'toolu_1', 'write_file', '{"path":"notes/cat.md"'),
  ev.toolUse(1, 2, 'toolu_1', 'write_file', { path: 'notes/cat.md', content: 'cat' }),
  ev.completedExpiring(1, 1_764_000_600_000, 'tool_use'),
  ev.approvalExpired(1),
]);

/** What a context is once it has crossed the wire. */
const overTheWire = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('the conversation context schema', () => {
  it.each([...goldenLogs, { name: 'a richer log', entries: richer }])(
    'reads back every context $name folds to, entry after entry, as it was',
    ({ entries }) => {
      for (let end = 1; end <= entries.length; end += 1) {
        const { context } = replay(entries.slice(0, end));
        expect(conversationContextSchema.parse(overTheWire(context))).toEqual(overTheWire(context));
      }
    },
  );

  it('refuses a context with an item of no known kind, or a field of the wrong type', () => {
    const { context } = replay(richer);
    const json = overTheWire(context);
    expect(conversationContextSchema.safeParse(json).success).toBe(true);
    expect(
      conversationContextSchema.safeParse({ ...json, items: [...json.items, { kind: 'ad' }] })
        .success,
    ).toBe(false);
    expect(conversationContextSchema.safeParse({ ...json, turn: '1' }).success).toBe(false);
    const [user, ...rest] = json.items;
    expect(
      conversationContextSchema.safeParse({ ...json, items: [{ ...user, text: 7 }, ...rest] })
        .success,
    ).toBe(false);
  });
});
