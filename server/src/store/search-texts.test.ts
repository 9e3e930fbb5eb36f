import { describe, expect, it } from 'vitest';
import {
  completed,
  started,
  textDelta,
  thinkingDelta,
  userMessage,
} from '../../../machines/src/test-support/event-builders.ts';
import { createSearchTexts, searchTextsOfLog } from './search-texts.ts';

const entry = (seq: number, event: Parameters<typeof searchTextsOfLog>[0][number]['event']) => ({
  conversationId: 'c1',
  seq,
  event,
  at: 1_000,
  machineVersion: 1,
});

describe('the texts a search looks through', () => {
  it('are each message, and each block of Claude’s text once it ends, across batches', () => {
    const texts = createSearchTexts();
    const message = userMessage('Plan\u0000 the trip');
    const first = texts.plan([
      entry(1, message),
      entry(2, started(1)),
      entry(3, textDelta(1, 'Go ')),
    ]);
    expect(first.texts).toEqual([
      { conversationId: 'c1', seq: 1, anchor: `u-${message.commandId}`, text: 'Plan  the trip' },
    ]);
    first.commit();
    const second = texts.plan([
      entry(4, textDelta(1, 'north.')),
      entry(5, thinkingDelta(1, 'hmm', 1)),
      entry(6, textDelta(1, '  ', 2)),
      entry(7, completed(1)),
    ]);
    // A block of whitespace alone is no text.
    expect(second.texts).toEqual([
      { conversationId: 'c1', seq: 3, anchor: 'a-1', text: 'Go north.' },
    ]);
  });

  it('keep an open run only once the append has committed', () => {
    const texts = createSearchTexts();
    texts.plan([entry(1, started(1)), entry(2, textDelta(1, 'lost'))]); // refused: never committed
    const next = texts.plan([entry(1, started(1)), entry(2, textDelta(1, 'kept'))]);
    next.commit();
    expect(texts.plan([entry(3, completed(1))]).texts.map((t) => t.text)).toEqual(['kept']);
  });

  it('of a whole log close the run it ends in when asked', () => {
    const log = [entry(1, userMessage('hi')), entry(2, started(1)), entry(3, textDelta(1, 'cut'))];
    expect(searchTextsOfLog(log, false).map((t) => t.text)).toEqual(['hi']);
    expect(searchTextsOfLog(log, true).map((t) => t.text)).toEqual(['hi', 'cut']);
  });
});
