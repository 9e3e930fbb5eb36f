import type { ConversationEvent } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { markSelfDrawnRun } from './live-runs.ts';
import {
  type LiveContextSource,
  lastChangeWait,
  markLiveTail,
  PLAIN_TAIL_MAX,
  type ShownTail,
} from './live-text.ts';
import { endAfter, endOf } from './plain-continuation.ts';

/** A mirror whose last change is `event` (the wait reads nothing else of it). */
function mirrorAt(event: ConversationEvent | null) {
  const source = { actor: null, lastEvent: () => source.event, event };
  return source as unknown as LiveContextSource & { event: ConversationEvent | null };
}

const delta = (text: string, index = 0): ConversationEvent => ({
  type: 'assistant.text_delta',
  turn: 1,
  index,
  text,
});

/** The tail of block 0 of turn 1 after `before`, not having taken `event` in yet. */
function tailBefore(before: string, tail: Partial<ShownTail> = {}): ShownTail {
  return {
    end: endOf(before),
    endBefore: null,
    through: null,
    length: 5,
    broken: false,
    code: false,
    ...tail,
  };
}

const chunk = (toolUseId: string, index: number): ConversationEvent => ({
  type: 'tool.chunk',
  toolUseId,
  index,
  text: 'line\n',
  bytes: 5 * (index + 1),
  total: 500,
});

describe('lastChangeWait', () => {
  it('needs no render for a chunk its panel draws by itself, and only for that', () => {
    const source = mirrorAt(chunk('toolu_a', 3));
    // Until its panel says it draws the run (mounted, its text box full), a chunk is drawn by a
    // render of the view at the next frame, which also follows the timeline's end.
    expect(lastChangeWait(source)).toBe('none');
    markSelfDrawnRun(source, 'toolu_a', true);
    expect(lastChangeWait(source)).toBe('unneeded');
    // Another call's chunks, and the run's other changes, still bring a render.
    source.event = chunk('toolu_b', 0);
    expect(lastChangeWait(source)).toBe('none');
    source.event = {
      type: 'tool.completed',
      toolUseId: 'toolu_a',
      content: 'Wrote it.',
      isError: false,
    };
    expect(lastChangeWait(source)).toBe('none');
    // Once the panel stops drawing it (unmounted, or the run ended), a chunk is rendered again.
    source.event = chunk('toolu_a', 4);
    markSelfDrawnRun(source, 'toolu_a', false);
    expect(lastChangeWait(source)).toBe('none');
    // Another mirror's panel says nothing about this one.
    markSelfDrawnRun(mirrorAt(null), 'toolu_a', true);
    expect(lastChangeWait(source)).toBe('none');
  });

  it('has anything but a text delta its tail shows drawn at the next frame', () => {
    const source = mirrorAt({ type: 'assistant.started', turn: 1, messageId: 'm', model: 'x' });
    markLiveTail(source, 1, 0, tailBefore('Hello'));
    expect(lastChangeWait(source)).toBe('none');
    source.event = delta(' world', 1);
    expect(lastChangeWait(source)).toBe('none');
  });

  it('needs no render for plain words, whether or not the tail has taken them in yet', () => {
    const source = mirrorAt(delta(' world'));
    markLiveTail(source, 1, 0, tailBefore('Hello'));
    expect(lastChangeWait(source)).toBe('unneeded');
    // The tail heard of the delta first: the end before it is the one that counts.
    const event = source.event as ConversationEvent;
    markLiveTail(source, 1, 0, {
      ...tailBefore('Hello world'),
      endBefore: endOf('Hello'),
      through: event,
    });
    expect(lastChangeWait(source)).toBe('unneeded');
    // Judged against the end after it, which ends in this very space, it would look like a second.
    source.event = delta(' ');
    markLiveTail(source, 1, 0, {
      ...tailBefore('Hello world '),
      endBefore: endAfter(endOf('Hello'), ' world'),
      through: source.event,
    });
    expect(lastChangeWait(source)).toBe('unneeded');
  });

  it('paces what the markdown would format, and a tail it should take over', () => {
    const source = mirrorAt(delta(' **bold'));
    markLiveTail(source, 1, 0, tailBefore('Hello'));
    expect(lastChangeWait(source)).toBe('paced');
    source.event = delta(' world');
    markLiveTail(source, 1, 0, tailBefore('Hello', { broken: true }));
    expect(lastChangeWait(source)).toBe('paced');
    markLiveTail(source, 1, 0, tailBefore('Hello', { length: PLAIN_TAIL_MAX }));
    expect(lastChangeWait(source)).toBe('paced');
    // A tail read afresh from the text does not know how it ended before this delta.
    markLiveTail(source, 1, 0, { ...tailBefore('Hello world'), through: source.event });
    expect(lastChangeWait(source)).toBe('paced');
  });

  it('paces code, whose render only highlights what the tail shows, unless it may close the block', () => {
    const source = mirrorAt(delta('const a = 1; // **not bold**\n  return a;'));
    markLiveTail(source, 1, 0, tailBefore('```ts\n', { code: true }));
    expect(lastChangeWait(source)).toBe('paced');
    // Within its line, the render would draw the same lines as before: none is needed.
    source.event = delta(' * 2 /* **not bold** */');
    expect(lastChangeWait(source)).toBe('unneeded');
    for (const text of ['\n```', '`', 'x\n~~', 'a `template`', 'x\r\n']) {
      source.event = delta(text);
      expect(lastChangeWait(source), text).toBe('none');
    }
  });
});
