import { describe, expect, it } from 'vitest';
import { conversationTitle } from '../../src/store/conversation-title.ts';

describe('conversationTitle', () => {
  it('keeps a short message whole, on one line', () => {
    expect(conversationTitle('  Hello\n\tthere  ')).toBe('Hello there');
  });

  it('cuts a long message near 80 characters, at a word, without splitting an emoji', () => {
    const long = `${'word '.repeat(30)}end`;
    const title = conversationTitle(long);
    expect(Array.from(title).length).toBeLessThanOrEqual(80);
    expect(title).toMatch(/^word( word)+…$/);
    const emoji = conversationTitle('📝'.repeat(100));
    expect(Array.from(emoji)).toEqual([...Array.from('📝'.repeat(79)), '…']);
  });
});
