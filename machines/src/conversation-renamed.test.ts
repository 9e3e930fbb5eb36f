import { describe, expect, it } from 'vitest';
import { type ConversationEvent, conversationEventSchema } from './events/conversation-event.ts';
import type { LogEntry } from './log-entry.ts';
import { commandInputSchema } from './protocol/client-message.ts';
import { replay } from './replay.ts';
import { startConversation } from './test-support/conversation-harness.ts';
import * as ev from './test-support/event-builders.ts';

describe('renaming a conversation', () => {
  it('is taken in every state, and leaves the state and the turn as they were', () => {
    const c = startConversation();
    c.send(ev.renamed('Before anything'));
    expect([c.state(), c.context().title]).toEqual(['idle', 'Before anything']);

    c.send(ev.userMessage('Write my notes'), ev.started(1), ev.textDelta(1, 'Sure'));
    c.send(ev.renamed('While Claude writes'));
    expect(c.state()).toBe('streaming');
    // The stream goes on: the rename neither stopped Claude nor started it again.
    expect(c.claudeStopped).toEqual([]);
    expect(c.claudeRequests).toHaveLength(1);
    c.send(ev.textDelta(1, ' thing'), ev.toolUse(1, 1, 'toolu_1', 'write_file', { path: 'a' }));
    c.send(ev.completed(1, 'tool_use'));
    c.send(ev.renamed('While a call waits'));
    expect(c.state()).toBe('awaitingApproval');
    c.send(ev.approve('toolu_1'));
    expect(c.state()).toBe('executingTool');
    c.send(ev.renamed('While the tool runs'));
    expect(c.state()).toBe('executingTool');
    expect(c.toolStopped).toEqual([]);
    expect(c.rejections).toEqual([]);
    expect(c.context().title).toBe('While the tool runs');
  });

  it('is in the fold, and a log without one folds to a context without a title', () => {
    const events: ConversationEvent[] = [
      ev.userMessage('Hello'),
      ev.started(1),
      ev.textDelta(1, 'Hi'),
    ];
    const entries = (list: ConversationEvent[]): LogEntry[] =>
      list.map((event, i) => ({
        conversationId: 'c1',
        seq: i + 1,
        event,
        at: 1_000 + i,
        machineVersion: 1,
      }));
    expect('title' in replay(entries(events)).context).toBe(false);
    const renamed = replay(entries([...events, ev.renamed('Greetings'), ev.renamed('Hello')]));
    expect(renamed.context.title).toBe('Hello');
    expect(renamed.value).toBe('streaming');
  });

  it('needs a one-line title of 1 to 200 characters, trimmed', () => {
    const title = (value: string) =>
      commandInputSchema.safeParse({ type: 'conversation.renamed', commandId: 'k1', title: value })
        .success;
    expect(title('Trip to Lisbon')).toBe(true);
    expect(title('é'.repeat(200))).toBe(true);
    expect(title('x'.repeat(201))).toBe(false);
    expect(title('')).toBe(false);
    expect(title('   ')).toBe(false);
    expect(title(' padded ')).toBe(false);
    expect(title('two\nlines')).toBe(false);
    // The log holds the same rule.
    expect(
      conversationEventSchema.safeParse({
        type: 'conversation.renamed',
        commandId: 'k1',
        title: ' x',
      }).success,
    ).toBe(false);
  });
});
