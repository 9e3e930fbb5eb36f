import {
  type ConversationEvent,
  findToolCall,
  type LogEntry,
  MACHINE_VERSION,
  PROTOCOL_VERSION,
  type UpcasterTable,
} from '@tollgate/machines';
import { beforeEach, describe, expect, it } from 'vitest';
import * as ev from '../../machines/src/test-support/event-builders.ts';
import { createFakeNetwork, type FakeSocket } from './test-support/fake-socket.ts';
import { manualFrames } from './test-support/manual-frames.ts';
import { createTollgateClient, type TollgateClient } from './tollgate-client.ts';

const hello = {
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  machineVersion: MACHINE_VERSION,
  claude: { status: 'ready', provider: 'anthropic', model: 'claude-sonnet-5-5', message: null },
  tools: [],
  mcpServers: [],
};
const logEntry = (seq: number, event: ConversationEvent): LogEntry => ({
  conversationId: 'c_1',
  seq,
  event,
  at: 1,
  machineVersion: MACHINE_VERSION,
});
const entry = (seq: number, event: ConversationEvent) => ({
  type: 'entries' as const,
  entries: [logEntry(seq, event)],
});

let network: ReturnType<typeof createFakeNetwork>;
let sockets: FakeSocket[];
let timers: { callback: () => void; ms: number }[];
let client: TollgateClient;
const last = () => sockets.at(-1) as FakeSocket;

beforeEach(() => {
  network = createFakeNetwork();
  ({ sockets, timers } = network);
  client = createTollgateClient({ url: 'ws://test/ws', ...network.options });
  client.start();
});

function connectAndSync(lastSeq = 0) {
  last().open();
  last().receive(hello);
  last().receive({ type: 'subscribed', conversationId: 'c_1', lastSeq });
}

describe('the connection client', () => {
  it('connects, lists conversations and follows one from the start', () => {
    expect(client.getState().connection).toBe('connecting');
    client.follow('c_1');
    connectAndSync();
    expect(client.getState()).toMatchObject({ connection: 'connected', synced: ['c_1'] });
    expect(client.getState().claude?.status).toBe('ready');
    expect(last().sent).toEqual([
      { type: 'list_conversations' },
      { type: 'list_grants' },
      { type: 'subscribe', conversationId: 'c_1', afterSeq: 0, checkpoint: MACHINE_VERSION },
    ]);
  });

  it('folds entries into the mirror and never changes state on its own', () => {
    client.follow('c_1');
    connectAndSync();
    const id = client.send('c_1', { type: 'user.message', text: 'Hi' });
    const mirror = client.mirror('c_1');
    // Sent, but the machine is untouched until the log says so.
    expect(last().ofType('command')).toHaveLength(1);
    expect(mirror.actor.getSnapshot().value).toBe('idle');
    expect(client.getState().pendingCommandIds).toEqual([id]);
    last().receive(entry(1, { type: 'user.message', commandId: id, text: 'Hi', at: 5 }));
    expect(mirror.actor.getSnapshot().value).toBe('streaming');
    expect(client.getState().pendingCommandIds).toEqual([]);
  });

  it('reconnects with backoff, resumes after the last seq and resends unconfirmed commands', () => {
    client.follow('c_1');
    connectAndSync();
    last().receive(entry(1, { type: 'user.message', commandId: 'k0', text: 'Hi', at: 5 }));
    last().drop();
    expect(client.getState()).toMatchObject({
      connection: 'reconnecting',
      retryAt: 1375,
      failedAttempts: 1,
    });
    expect(timers.at(-1)?.ms).toBe(375);

    const stop = client.send('c_1', { type: 'turn.stop' });
    timers.at(-1)?.callback();
    expect(sockets).toHaveLength(2);
    last().open();
    // No checkpoint: one could fold away the entry that settles the command.
    expect(last().ofType('subscribe')).toEqual([
      { type: 'subscribe', conversationId: 'c_1', afterSeq: 1 },
    ]);
    // The command waits for the catch-up, then goes out under its first id.
    expect(last().ofType('command')).toEqual([]);
    last().receive({ type: 'subscribed', conversationId: 'c_1', lastSeq: 1 });
    expect(last().ofType('command')).toEqual([
      { type: 'command', conversationId: 'c_1', command: { type: 'turn.stop', commandId: stop } },
    ]);
  });

  it('backs off further after each failed attempt and says offline after a few', () => {
    last().drop();
    for (let i = 0; i < 5; i += 1) {
      timers.at(-1)?.callback();
      last().drop();
    }
    expect(timers.map((t) => t.ms)).toEqual([375, 750, 1500, 3000, 6000, 11_250]);
    expect(client.getState().connection).toBe('offline');
    client.reconnectNow();
    last().open();
    last().receive(hello);
    expect(client.getState()).toMatchObject({ connection: 'connected', failedAttempts: 0 });
  });

  it('asks again from its last seq when it sees a gap, once', () => {
    client.follow('c_1');
    connectAndSync();
    last().receive(entry(1, { type: 'user.message', commandId: 'k0', text: 'Hi', at: 5 }));
    last().receive(entry(3, { type: 'assistant.text_delta', turn: 1, index: 0, text: 'x' }));
    last().receive(entry(4, { type: 'assistant.text_delta', turn: 1, index: 0, text: 'y' }));
    expect(last().ofType('subscribe').at(-1)).toEqual({
      type: 'subscribe',
      conversationId: 'c_1',
      afterSeq: 1,
    });
    expect(last().ofType('subscribe')).toHaveLength(2);
    expect(client.mirror('c_1').lastSeq()).toBe(1);
  });

  it('folds every entry of a message in order, and sees a gap inside one', () => {
    client.follow('c_1');
    connectAndSync();
    last().receive({
      type: 'entries',
      entries: [
        logEntry(1, { type: 'user.message', commandId: 'k0', text: 'Hi', at: 5 }),
        logEntry(2, { type: 'assistant.started', turn: 1, messageId: 'msg_1', model: 'm' }),
        logEntry(3, { type: 'assistant.text_delta', turn: 1, index: 0, text: 'Hel' }),
        logEntry(4, { type: 'assistant.text_delta', turn: 1, index: 0, text: 'lo' }),
      ],
    });
    expect(client.mirror('c_1').lastSeq()).toBe(4);
    expect(last().ofType('subscribe')).toHaveLength(1);
    last().receive({
      type: 'entries',
      entries: [
        logEntry(5, { type: 'assistant.text_delta', turn: 1, index: 0, text: '!' }),
        logEntry(7, { type: 'assistant.text_delta', turn: 1, index: 0, text: '?' }),
      ],
    });
    expect(client.mirror('c_1').lastSeq()).toBe(5);
    expect(last().ofType('subscribe').at(-1)).toEqual({
      type: 'subscribe',
      conversationId: 'c_1',
      afterSeq: 5,
    });
  });

  it('ignores messages the schema refuses, and says so', () => {
    client.follow('c_1');
    connectAndSync();
    last().receive('{ nope');
    last().receive({ type: 'entries', entries: [{ seq: 1 }] });
    last().receive({ type: 'entries', entries: [] });
    expect(client.mirror('c_1').lastSeq()).toBe(0);
    expect(client.getState().notices.map((n) => n.code)).toEqual([
      'bad_server_message',
      'bad_server_message',
      'bad_server_message',
    ]);
  });

  it('settles a refused command and shows why', () => {
    client.follow('c_1');
    connectAndSync();
    const id = client.send('c_1', { type: 'turn.retry' });
    last().receive({
      type: 'error',
      code: 'command_rejected',
      message: 'Nothing to retry.',
      commandId: id,
    });
    expect(client.getState().pendingCommandIds).toEqual([]);
    expect(client.getState().notices).toMatchObject([
      { message: 'Nothing to retry.', commandId: id },
    ]);
  });

  it('never sends a command over the size limit, and says why at once', () => {
    client.follow('c_1');
    connectAndSync();
    const before = last().sent.length;
    const id = client.send('c_1', { type: 'user.message', text: 'é'.repeat(150_000) });
    expect(last().sent).toHaveLength(before);
    expect(client.getState().pendingCommandIds).toEqual([]);
    expect(client.getState().notices).toMatchObject([
      { code: 'too_large', commandId: id, message: expect.stringMatching(/too large.*256 KiB/) },
    ]);
    // Just under the limit goes out as usual.
    client.send('c_1', { type: 'user.message', text: 'a'.repeat(200_000) });
    expect(last().sent).toHaveLength(before + 1);
  });

  it('asks for an MCP server restart only while connected, and takes each new status', () => {
    expect(client.restartMcpServer('reporter')).toBe(false);
    last().open();
    last().receive(hello);
    const failed = {
      name: 'reporter',
      state: 'failed',
      error: 'The reporter server stopped before it finished starting.',
      tools: 0,
      stderr: ['reporter: no config'],
      retryAt: 5,
    };
    last().receive({ type: 'tools', tools: [], mcpServers: [failed] });
    expect(client.getState().mcpServers).toEqual([failed]);
    expect(client.restartMcpServer('reporter')).toBe(true);
    expect(last().ofType('restart_mcp_server')).toEqual([
      { type: 'restart_mcp_server', server: 'reporter' },
    ]);
    last().receive({
      type: 'tools',
      tools: [],
      mcpServers: [{ ...failed, state: 'restarting', retryAt: null }],
    });
    expect(client.getState().mcpServers[0]?.state).toBe('restarting');
    last().receive({
      type: 'error',
      code: 'unknown_mcp_server',
      message: 'There is no MCP server named ghost.',
    });
    expect(client.getState().notices).toMatchObject([
      { code: 'unknown_mcp_server', message: 'There is no MCP server named ghost.' },
    ]);
  });

  it('stops retrying when the server refuses the page', () => {
    last().open();
    last().receive({ type: 'error', code: 'unauthorized', message: 'Token needed.' });
    last().drop(4401);
    expect(client.getState()).toMatchObject({ connection: 'offline', refusal: 'Token needed.' });
    expect(timers).toEqual([]);
  });

  it('creates a conversation and resolves with it', async () => {
    last().open();
    const created = client.createConversation();
    const request = last().ofType('create_conversation')[0] as { requestId: string };
    const conversation = { id: 'c_2', title: null, createdAt: 1, updatedAt: 1, lastSeq: 0 };
    last().receive({ type: 'conversation_created', requestId: request.requestId, conversation });
    await expect(created).resolves.toEqual(conversation);
    expect(client.getState().conversations).toEqual([conversation]);
  });

  it('applies pushed changes of conversations to the list it has', () => {
    last().open();
    const older = { id: 'c_1', title: 'Old', createdAt: 1, updatedAt: 2, lastSeq: 3 };
    const newer = { id: 'c_2', title: null, createdAt: 5, updatedAt: 5, lastSeq: 0 };
    const pushed = { ...older, title: 'Old', updatedAt: 9, lastSeq: 4 };
    const added = { id: 'c_3', title: null, createdAt: 7, updatedAt: 7, lastSeq: 0 };
    // Before the list arrives a change has nothing to apply to.
    last().receive({ type: 'conversations_updated', conversations: [pushed] });
    expect(client.getState().conversations).toBeNull();
    last().receive({ type: 'conversations', conversations: [newer, older] });
    last().receive({ type: 'conversations_updated', conversations: [pushed, added] });
    expect(client.getState().conversations).toEqual([pushed, added, newer]);
  });

  it('switches conversations: unsubscribes the old one, keeps its mirror to resume later', () => {
    client.follow('c_1');
    connectAndSync();
    last().receive(entry(1, { type: 'user.message', commandId: 'k0', text: 'Hi', at: 5 }));
    client.follow('c_2');
    client.follow('c_1');
    expect(last().sent.slice(-4)).toEqual([
      { type: 'unsubscribe', conversationId: 'c_1' },
      // Only a conversation the page holds nothing of may come as a checkpoint.
      { type: 'subscribe', conversationId: 'c_2', afterSeq: 0, checkpoint: MACHINE_VERSION },
      { type: 'unsubscribe', conversationId: 'c_2' },
      { type: 'subscribe', conversationId: 'c_1', afterSeq: 1 },
    ]);
  });

  it('opens a conversation from a checkpoint, then folds the entries after it', () => {
    client.follow('c_1');
    last().open();
    last().receive(hello);
    last().receive(checkpointOf(2));
    const mirror = client.mirror('c_1');
    expect(mirror.lastSeq()).toBe(2);
    expect(mirror.actor.getSnapshot().value).toBe('idle');
    expect(mirror.actor.getSnapshot().context.items).toHaveLength(2);
    last().receive(entry(3, { type: 'user.message', commandId: 'k1', text: 'Again', at: 6 }));
    last().receive({ type: 'subscribed', conversationId: 'c_1', lastSeq: 3 });
    expect(mirror.actor.getSnapshot().value).toBe('streaming');
    expect(mirror.actor.getSnapshot().context.items.map((item) => item.kind)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    // One it already has more than is no use, and changes nothing.
    const before = mirror.actor.getSnapshot();
    last().receive(checkpointOf(2));
    expect(mirror.actor.getSnapshot()).toBe(before);
    expect(client.getState().notices).toEqual([]);
  });
});

/** The checkpoint of c_1 after a question and its answer (entries 1 and 2 as a fold). */
function checkpointOf(seq: number, machineVersion = MACHINE_VERSION) {
  const context = {
    items: [
      { kind: 'user', id: 'k0', text: 'Hi', at: 5 },
      {
        kind: 'assistant',
        turn: 1,
        messageId: 'msg_1',
        model: 'm',
        blocks: [{ type: 'text', index: 0, text: 'Hello.' }],
        status: 'complete',
        stopReason: 'end_turn',
        usage: null,
        error: null,
      },
    ],
    turn: 1,
    alwaysAllowed: [],
  };
  return {
    type: 'checkpoint',
    conversationId: 'c_1',
    seq,
    machineVersion,
    snapshot: { value: 'idle', context },
  };
}

describe('the connection client, when the versions differ', () => {
  const hi = { type: 'user.message', commandId: 'k0', text: 'Hi', at: 5 } as const;

  /** The page has stopped for good: it sends nothing, and nothing makes it connect again. */
  function expectHalted() {
    const socketsBefore = sockets.length;
    const sentBefore = last().sent.length;
    client.send('c_1', { type: 'user.message', text: 'Still there?' });
    last().receive({ type: 'subscribed', conversationId: 'c_1', lastSeq: 0 });
    last().drop();
    client.reconnectNow();
    expect(last().sent).toHaveLength(sentBefore);
    expect(last().ofType('command')).toEqual([]);
    expect(last().readyState).toBe(3);
    expect(timers).toEqual([]);
    expect(sockets).toHaveLength(socketsBefore);
    expect(client.getState()).toMatchObject({
      connection: 'offline',
      retryAt: null,
      pendingCommandIds: [],
      notices: [],
    });
  }

  it('stops for good on the hello of a newer machine, and says the page is out of date', () => {
    client.follow('c_1');
    last().open();
    last().receive({ ...hello, machineVersion: MACHINE_VERSION + 1 });
    expect(client.getState().versionMismatch).toMatchObject({
      reason: 'page_older',
      pageWorks: false,
    });
    last().receive(entry(1, hi));
    expect(client.mirror('c_1').lastSeq()).toBe(0);
    expectHalted();
  });

  it('reads the hello of a newer protocol even when the rest of it has a new shape', () => {
    last().open();
    const { claude: _, ...rest } = hello;
    last().receive({ ...rest, protocol: PROTOCOL_VERSION + 1, status: { claude: 'ready' } });
    expect(client.getState().versionMismatch).toMatchObject({ reason: 'page_older' });
    expect(client.getState().claude).toBeNull();
    expectHalted();
  });

  it('stops at an entry of a newer machine, folding nothing from it on', () => {
    client.follow('c_1');
    connectAndSync();
    const started = { type: 'assistant.started', turn: 1, messageId: 'm', model: 'm' } as const;
    last().receive({
      type: 'entries',
      entries: [
        logEntry(1, hi),
        { ...logEntry(2, started), machineVersion: MACHINE_VERSION + 1 },
        logEntry(3, { type: 'assistant.text_delta', turn: 1, index: 0, text: 'x' }),
      ],
    });
    expect(client.mirror('c_1').lastSeq()).toBe(1);
    expect(client.getState().versionMismatch).toMatchObject({
      reason: 'page_older',
      pageWorks: false,
    });
    expectHalted();
  });

  it("stops at a newer machine's checkpoint, whether or not it fits this page's schema", () => {
    for (const context of [checkpointOf(2).snapshot.context, { threads: [] }]) {
      client.stop();
      client = createTollgateClient({ url: 'ws://test/ws', ...network.options });
      client.start();
      client.follow('c_1');
      last().open();
      last().receive(hello);
      const newer = checkpointOf(2, MACHINE_VERSION + 1);
      last().receive({ ...newer, snapshot: { ...newer.snapshot, context } });
      expect(client.mirror('c_1').lastSeq()).toBe(0);
      expect(client.getState().versionMismatch).toMatchObject({
        reason: 'page_older',
        pageWorks: false,
      });
      expectHalted();
    }
  });

  it("stops at a newer machine's entry whose event this page has no schema for", () => {
    client.follow('c_1');
    connectAndSync();
    const unknown = { ...logEntry(1, hi), event: { type: 'assistant.hologram', turn: 1 } };
    last().receive({
      type: 'entries',
      entries: [{ ...unknown, machineVersion: MACHINE_VERSION + 1 }],
    });
    expect(client.getState().versionMismatch).toMatchObject({ reason: 'page_older' });
    expectHalted();
  });

  it('still calls an unknown event of its own machine a bad message, and goes on', () => {
    client.follow('c_1');
    connectAndSync();
    const unknown = { ...logEntry(1, hi), event: { type: 'assistant.hologram', turn: 1 } };
    last().receive({ type: 'entries', entries: [unknown] });
    expect(client.getState()).toMatchObject({ connection: 'connected', versionMismatch: null });
    expect(client.getState().notices.map((n) => n.code)).toEqual(['bad_server_message']);
  });
});

describe('the connection client of a page newer than its server (a rollback)', () => {
  function clientOf(
    versions: { protocol: number; machineVersion: number },
    upcasters?: UpcasterTable,
  ) {
    client.stop();
    client = createTollgateClient({
      url: 'ws://test/ws',
      createSocket: network.createSocket,
      setTimer: network.setTimer,
      versions,
      ...(upcasters ? { upcasters } : {}),
    });
    client.start();
    client.follow('c_1');
    last().open();
  }

  it('keeps working on a server of the same protocol and an older machine, and says so', () => {
    // The page's machine renamed nothing: its upcaster from the server's version keeps events.
    clientOf(
      { protocol: PROTOCOL_VERSION, machineVersion: MACHINE_VERSION + 1 },
      {
        [MACHINE_VERSION]: (event) => [event],
      },
    );
    last().receive(hello);
    expect(client.getState()).toMatchObject({
      connection: 'connected',
      versionMismatch: { reason: 'server_older', pageWorks: true },
    });
    last().receive({ type: 'subscribed', conversationId: 'c_1', lastSeq: 0 });
    // Its entries are still folded: an older machine's entries are this page's to read.
    last().receive(entry(1, { type: 'user.message', commandId: 'k0', text: 'Hi', at: 1 }));
    expect(client.mirror('c_1').lastSeq()).toBe(1);
    expect(client.mirror('c_1').actor.getSnapshot().value).toBe('streaming');
    client.send('c_1', { type: 'turn.retry' });
    expect(last().ofType('command')).toHaveLength(1);
    // The server is upgraded again: the message goes away.
    last().drop();
    timers.at(-1)?.callback();
    last().open();
    last().receive({ ...hello, machineVersion: MACHINE_VERSION + 1 });
    expect(client.getState().versionMismatch).toBeNull();
  });

  it("asks for its own machine's checkpoint, and for the entries instead of another's", () => {
    clientOf(
      { protocol: PROTOCOL_VERSION, machineVersion: MACHINE_VERSION + 1 },
      { [MACHINE_VERSION]: (event) => [event] },
    );
    last().receive(hello);
    last().receive(checkpointOf(2));
    expect(client.mirror('c_1').lastSeq()).toBe(0);
    expect(last().ofType('subscribe')).toEqual([
      { type: 'subscribe', conversationId: 'c_1', afterSeq: 0, checkpoint: MACHINE_VERSION + 1 },
      { type: 'subscribe', conversationId: 'c_1', afterSeq: 0 },
    ]);
    // What the first catch-up still sends after its checkpoint is a gap, not a third request.
    last().receive(entry(3, { type: 'user.message', commandId: 'k1', text: 'Again', at: 6 }));
    expect(last().ofType('subscribe')).toHaveLength(2);
    expect(client.getState().versionMismatch).toMatchObject({ pageWorks: true });
  });

  it('stops on a server of an older protocol: they cannot talk', () => {
    clientOf({ protocol: PROTOCOL_VERSION + 1, machineVersion: MACHINE_VERSION });
    last().receive(hello);
    expect(client.getState()).toMatchObject({
      connection: 'offline',
      versionMismatch: { reason: 'server_older', pageWorks: false },
    });
    client.send('c_1', { type: 'turn.retry' });
    last().drop();
    expect(last().ofType('command')).toEqual([]);
    expect(timers).toEqual([]);
  });
});

describe("the connection client, as a tool's chunks stream in", () => {
  let frames: ReturnType<typeof manualFrames>;
  let seq: number;
  /** Each event in a message of its own, as the server sends a streamed entry. */
  const receive = (...events: ConversationEvent[]) => {
    for (const event of events) {
      seq += 1;
      last().receive(entry(seq, event));
    }
  };
  const run = () => findToolCall(client.mirror('c_1').actor.getSnapshot().context, 'toolu_1')?.run;

  beforeEach(() => {
    frames = manualFrames();
    client = createTollgateClient({
      url: 'ws://test/ws',
      ...network.options,
      frames: frames.frames,
    });
    client.start();
    client.follow('c_1');
    connectAndSync();
    seq = 0;
    receive(
      ev.userMessage('Write my notes'),
      ev.started(1),
      ev.toolUse(1, 1, 'toolu_1', 'write_file', { path: 'notes/a.md', content: 'abcd' }),
      ev.completed(1, 'tool_use'),
      ev.approve('toolu_1'),
      ev.toolStarted('toolu_1'),
    );
    expect(frames.queue).toHaveLength(0);
  });

  it('folds the chunks that came before a frame at that frame, as one run', () => {
    const mirror = client.mirror('c_1');
    const folded: (ConversationEvent | null)[] = [];
    mirror.actor.subscribe(() => folded.push(mirror.lastEvent()));
    receive(...['a', 'b', 'c'].map((text, i) => ev.toolChunk('toolu_1', i, text, i + 1, 4)));
    expect(run()).toMatchObject({ chunks: 0, text: '' });
    expect(mirror.lastSeq()).toBe(9);
    expect(frames.queue).toHaveLength(1);
    frames.tick();
    expect(run()).toMatchObject({
      chunks: 3,
      text: 'abc',
      progress: 3,
      message: 'Chunk 3 received',
    });
    // One event: the first chunk's index, their text, the last one's progress, and how many.
    expect(folded).toEqual([
      { ...ev.toolChunk('toolu_1', 0, 'abc', 3, 4), message: 'Chunk 3 received', count: 3 },
    ]);
  });

  it('folds them at once when anything else follows them, before it', () => {
    receive(ev.toolChunk('toolu_1', 0, 'a', 1, 4), ev.toolChunk('toolu_1', 1, 'b', 2, 4));
    receive(ev.toolCompleted('toolu_1', 'Wrote notes/a.md.'));
    expect(run()).toMatchObject({ chunks: 2, text: 'ab', status: 'completed' });
    expect(client.mirror('c_1').actor.getSnapshot().value).toBe('resuming');
    // The frame asked for by the chunks finds nothing left to fold.
    frames.tick();
    expect(run()).toMatchObject({ chunks: 2, text: 'ab', status: 'completed' });
  });

  it("folds a text delta in its own message's task, before the next frame", () => {
    receive(ev.toolChunk('toolu_1', 0, 'a', 1, 4), ev.toolCompleted('toolu_1'), ev.started(2));
    receive(ev.textDelta(2, 'Written.'));
    // Only the frame the chunk asked for is pending, and it has not run.
    expect(frames.queue).toHaveLength(1);
    const answer = client.mirror('c_1').actor.getSnapshot().context.items.at(-1);
    expect(answer).toMatchObject({ kind: 'assistant', blocks: [{ text: 'Written.' }] });
  });
});
