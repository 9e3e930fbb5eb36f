import {
  type ConversationEvent,
  type LogEntry,
  MACHINE_VERSION,
  PROTOCOL_VERSION,
} from '@tollgate/machines';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeNetwork, type FakeSocket } from '../test-support/fake-socket.ts';
import { createInspectorFeed, type InspectorFeed } from './inspector-feed.ts';

const hello = (machineVersion = MACHINE_VERSION) => ({
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  machineVersion,
  claude: { status: 'ready', provider: 'anthropic', model: 'claude-sonnet-5-5', message: null },
  tools: [],
  mcpServers: [],
});
const delta = (seq: number, conversationId = 'c_1'): LogEntry => ({
  conversationId,
  seq,
  event: { type: 'assistant.text_delta', turn: 1, index: 0, text: `${seq}` } as ConversationEvent,
  at: 1,
  machineVersion: MACHINE_VERSION,
});
const entries = (...list: LogEntry[]) => ({ type: 'entries', entries: list });

/** A log that records what it was given, as the inspection would hold it. */
function fakeLog() {
  const held: LogEntry[] = [];
  return {
    held,
    lastSeq: () => held.length,
    append(more: readonly LogEntry[]) {
      for (const entry of more) {
        if (entry.seq !== held.length + 1) throw new Error(`gap before ${entry.seq}`);
        held.push(entry);
      }
    },
  };
}

let sockets: FakeSocket[];
let timers: { callback: () => void; ms: number }[];
let log: ReturnType<typeof fakeLog>;
let feed: InspectorFeed;
let announced: number;
const last = () => sockets.at(-1) as FakeSocket;

beforeEach(() => {
  const network = createFakeNetwork();
  ({ sockets, timers } = network);
  log = fakeLog();
  announced = 0;
  feed = createInspectorFeed({
    url: 'ws://test/ws',
    conversationId: 'c_1',
    log,
    ...network.options,
  });
  feed.onEntries(() => {
    announced += 1;
  });
  feed.start();
});

describe('the inspector feed', () => {
  it('reads the whole log from seq 0, then live entries, and sends no command', () => {
    last().open();
    last().receive(hello());
    last().receive(entries(delta(1)));
    last().receive(entries(delta(2)));
    expect(announced).toBe(0);
    last().receive({ type: 'subscribed', conversationId: 'c_1', lastSeq: 2 });
    last().receive(entries(delta(3)));
    expect(log.held.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    // The catch-up once, when complete; then every live message.
    expect(announced).toBe(2);
    expect(feed.getState()).toMatchObject({ connection: 'connected', synced: ['c_1'] });
    expect(last().sent).toEqual([
      { type: 'list_conversations' },
      { type: 'subscribe', conversationId: 'c_1', afterSeq: 0 },
    ]);
  });

  it('skips what it already has, and asks again from its last seq after a gap, once', () => {
    last().open();
    last().receive(entries(delta(1), delta(2)));
    last().receive(entries(delta(2), delta(3)));
    last().receive(entries(delta(5)));
    last().receive(entries(delta(6)));
    expect(log.held.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(last().sent.filter((message) => message.type === 'subscribe')).toEqual([
      { type: 'subscribe', conversationId: 'c_1', afterSeq: 0 },
      { type: 'subscribe', conversationId: 'c_1', afterSeq: 3 },
    ]);
    last().receive(entries(delta(4), delta(5), delta(6)));
    expect(log.lastSeq()).toBe(6);
  });

  it('ignores entries of other conversations', () => {
    last().open();
    last().receive(entries(delta(1, 'c_2')));
    expect(log.lastSeq()).toBe(0);
    expect(announced).toBe(0);
  });

  it('resumes after a dropped connection from the last seq it holds', () => {
    last().open();
    last().receive(entries(delta(1)));
    last().drop();
    expect(feed.getState()).toMatchObject({ connection: 'reconnecting', failedAttempts: 1 });
    timers.at(-1)?.callback();
    last().open();
    expect(last().sent.at(-1)).toEqual({ type: 'subscribe', conversationId: 'c_1', afterSeq: 1 });
  });

  it('stops for good before a newer server, folding nothing more', () => {
    last().open();
    last().receive(hello(MACHINE_VERSION + 1));
    expect(feed.getState().versionMismatch).toMatchObject({
      reason: 'page_older',
      pageWorks: false,
    });
    expect(last().closedWith).toEqual({ code: 1000, reason: 'version mismatch' });
    last().receive(entries(delta(1)));
    expect(log.lastSeq()).toBe(0);
    feed.reconnectNow();
    expect(sockets).toHaveLength(1);
  });

  it('stops at an entry of a newer machine', () => {
    last().open();
    last().receive(entries({ ...delta(1), machineVersion: MACHINE_VERSION + 1 }));
    expect(log.lastSeq()).toBe(0);
    expect(feed.getState().versionMismatch?.reason).toBe('page_older');
  });

  it('stops at an entry of a newer machine whose event this page has no schema for', () => {
    last().open();
    const unknown = { ...delta(1), machineVersion: MACHINE_VERSION + 1, event: { type: 'x.new' } };
    last().receive({ type: 'entries', entries: [unknown] });
    expect(log.lastSeq()).toBe(0);
    expect(feed.getState().versionMismatch).toMatchObject({
      reason: 'page_older',
      pageWorks: false,
    });
  });

  it('says when the conversation does not exist, or the server refuses the page', () => {
    last().open();
    last().receive({
      type: 'error',
      code: 'unknown_conversation',
      message: 'no such conversation',
      conversationId: 'c_1',
    });
    expect(feed.getState().missing).toEqual(['c_1']);
    last().drop(4401);
    expect(feed.getState()).toMatchObject({ connection: 'offline', refusal: 'closed with 4401' });
    expect(timers).toHaveLength(0);
  });
});
