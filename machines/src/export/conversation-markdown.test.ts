import { describe, expect, it } from 'vitest';
import { startConversation } from '../test-support/conversation-harness.ts';
import * as ev from '../test-support/event-builders.ts';
import { conversationMarkdown } from './conversation-markdown.ts';

const SHA = 'a'.repeat(64);
const info = { conversationId: 'c_1', title: 'Write my notes', exportedAt: Date.UTC(2026, 0, 2) };

describe('the Markdown transcript', () => {
  it('holds the messages, each call with its arguments, the decision, the result and the file', () => {
    const c = startConversation();
    c.send(ev.userMessage('Write my notes'), ev.started(1), ev.textDelta(1, 'Writing them.'));
    c.send(
      ev.toolUse(1, 1, 'toolu_w', 'write_file', { path: 'notes/a.md', content: '# Notes\n' }),
      ev.toolUse(1, 2, 'toolu_d', 'write_file', { path: 'notes/b.md', content: 'b' }),
      ev.completed(1, 'tool_use'),
      ev.approve('toolu_w'),
      ev.deny('toolu_d', 'Only a.md, please'),
      ev.toolStarted('toolu_w'),
      {
        type: 'tool.completed',
        toolUseId: 'toolu_w',
        content: 'Wrote notes/a.md: 8 bytes.',
        isError: false,
        file: { path: 'notes/a.md', bytes: 8, sha256: SHA },
      },
      ev.started(2),
      ev.textDelta(2, 'Done: a.md is written.'),
      ev.completed(2),
    );
    const markdown = conversationMarkdown(c.context(), info);
    expect(markdown).toMatch(/^# Write my notes\n/);
    expect(markdown).toContain('2026-01-02T00:00:00.000Z');
    expect(markdown).toContain('## You\n');
    expect(markdown).toContain('Write my notes');
    expect(markdown).toContain('## Claude (claude-sonnet-5-5)\n\nWriting them.');
    expect(markdown).toContain('### Tool call: write_file (`toolu_w`)');
    expect(markdown).toContain('"path": "notes/a.md"');
    expect(markdown).toContain('"content": "# Notes\\n"');
    expect(markdown).toContain('**Decision:** approved\n');
    expect(markdown).toContain('**Decision:** denied, reason: Only a.md, please');
    expect(markdown).toContain('Wrote notes/a.md: 8 bytes.');
    expect(markdown).toContain(`**File written:** \`notes/a.md\`, 8 bytes, sha256 \`${SHA}\``);
    expect(markdown).toContain('Done: a.md is written.');
    // In the order it happened.
    const order = ['Writing them.', 'toolu_w', 'toolu_d', 'Done: a.md'].map((text) =>
      markdown.indexOf(text),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('prefers the rename, and fences text that holds backticks so it cannot escape', () => {
    const c = startConversation();
    c.send(ev.userMessage('hi'), ev.started(1), ev.toolUse(1, 0, 't1', 'write_file', {}));
    c.send(ev.completed(1, 'tool_use'), ev.approve('t1', 'always'), ev.toolStarted('t1'));
    c.send(ev.toolCompleted('t1', 'has ``` inside'), ev.renamed('Renamed'));
    const markdown = conversationMarkdown(c.context(), info);
    expect(markdown).toMatch(/^# Renamed\n/);
    expect(markdown).toContain('````text\nhas ``` inside\n````');
    expect(markdown).toContain('(always allow this tool)');
    expect(markdown).toContain('_"Always allow" granted for write_file._');
  });

  it('says when a turn was stopped or failed, and when a call was never decided', () => {
    const c = startConversation();
    c.send(ev.userMessage('one'), ev.started(1), ev.textDelta(1, 'partial'), ev.stop());
    c.send(ev.userMessage('two'), ev.started(2), ev.failed(2));
    c.send(ev.userMessage('three'), ev.started(3), ev.toolUse(3, 0, 't3', 'write_file', {}));
    c.send(ev.completed(3, 'tool_use'), ev.stop());
    const markdown = conversationMarkdown(c.context(), { ...info, title: null });
    expect(markdown).toMatch(/^# Untitled conversation\n/);
    expect(markdown).toContain('_(stopped by the person)_');
    expect(markdown).toContain('_(failed: Claude is overloaded (529).)_');
    expect(markdown).toContain('**Decision:** none, the turn was stopped first');
  });
});
