import type { TimelineItem } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { itemsFillingScreen, screenOf } from './first-screen.ts';

const question = (text: string): TimelineItem => ({ kind: 'user', id: text, text, at: 0 });
const answer = (text: string): TimelineItem => ({
  kind: 'assistant',
  turn: 1,
  messageId: null,
  model: null,
  blocks: [{ type: 'text', index: 0, text }],
  status: 'complete',
  stopReason: 'end_turn',
  usage: null,
  error: null,
});
const words = (count: number) => Array.from({ length: count }, (_, i) => `word${i}`).join(' ');

describe('the items that fill the first screen of a conversation', () => {
  it('reads the screen as the text column holds it: at most 768 px wide, 8 px a character, 24 px a line', () => {
    expect(screenOf(1280, 720)).toEqual({ lineChars: 96, lines: 30 });
    expect(screenOf(390, 700)).toEqual({ lineChars: 48, lines: 30 });
  });

  it('counts from the end until the items fill it, a long answer taking many lines', () => {
    const turns = Array.from({ length: 50 }, () => [question('Why?'), answer(words(200))]).flat();
    const desktop = screenOf(1000, 600);
    // A 200-word answer is about 15 lines at 96 characters: two answers and a question fill 25.
    expect(itemsFillingScreen(turns, desktop, 8)).toBe(3);
    // A narrow phone wraps each answer over more lines: the last answer fills it alone.
    expect(itemsFillingScreen(turns, screenOf(390, 700), 8)).toBe(1);
  });

  it('takes more of short items, but never more than it may, nor fewer than one', () => {
    const chat = Array.from({ length: 50 }, (_, i) => [
      question(`Hi ${i}`),
      answer('Hello.'),
    ]).flat();
    expect(itemsFillingScreen(chat, screenOf(1000, 600), 8)).toBe(8);
    expect(itemsFillingScreen(chat, { lineChars: 96, lines: 1 }, 8)).toBe(1);
    expect(itemsFillingScreen([], screenOf(1000, 600), 8)).toBe(0);
    // A box not laid out (a hidden tab) has no lines: its last item is still drawn.
    expect(itemsFillingScreen(chat, screenOf(0, 0), 8)).toBe(1);
  });

  it('counts a tool call as its card, and each line of a text apart', () => {
    const call: TimelineItem = {
      kind: 'tool',
      toolUseId: 't',
      name: 'write_file',
      input: { content: words(5000) },
      turn: 1,
      decision: { status: 'pending' },
      run: null,
    };
    // 4 lines of card, then 2 + 10 lines of a question of ten short lines: 16 lines.
    const lines = question(Array.from({ length: 10 }, () => 'a line').join('\n'));
    expect(itemsFillingScreen([lines, call], { lineChars: 96, lines: 16 }, 8)).toBe(2);
    expect(itemsFillingScreen([lines, lines, call], { lineChars: 96, lines: 17 }, 8)).toBe(3);
  });
});
