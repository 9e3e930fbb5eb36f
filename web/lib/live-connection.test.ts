import { type LogEntry, MACHINE_VERSION, PROTOCOL_VERSION } from '@tollgate/machines';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createLiveConnection,
  type LiveConnection,
  type LiveConnectionOptions,
  type ProtocolMessage,
} from './live-connection.ts';
import { createFakeNetwork, type FakeSocket } from './test-support/fake-socket.ts';

const hello = (versions: { protocol?: number; machineVersion?: number } = {}) => ({
  type: 'hello',
  protocol: versions.protocol ?? PROTOCOL_VERSION,
  machineVersion: versions.machineVersion ?? MACHINE_VERSION,
  claude: { status: 'ready', provider: 'anthropic', model: 'claude-sonnet-5-5', message: null },
  tools: [],
  mcpServers: [],
});
const delta = (seq: number, machineVersion = MACHINE_VERSION): LogEntry => ({
  conversationId: 'c_1',
  seq,
  event: { type: 'assistant.text_delta', turn: 1, index: 0, text: `${seq}` },
  at: 1,
  machineVersion,
});

let network: ReturnType<typeof createFakeNetwork>;
let online: boolean;
let calls: string[];
let messages: ProtocolMessage[];
let connection: LiveConnection;
const last = () => network.sockets.at(-1) as FakeSocket;

function connectionOf(options: Partial<LiveConnectionOptions> = {}) {
  return createLiveConnection(
    { url: 'ws://test/ws', ...network.options, isOnline: () => online, ...options },
    {
      onOpen: () => calls.push(`open:${connection.getState().connection}`),
      onMessage: (message) => messages.push(message),
      onHello: (hello) => ({ person: hello.person }),
      onUnreadable: () => calls.push('unreadable'),
      onClose: () => calls.push('close'),
      onHalt: () => {
        calls.push('halt');
        return { pendingCommandIds: [] };
      },
    },
  );
}

beforeEach(() => {
  network = createFakeNetwork();
  online = true;
  calls = [];
  messages = [];
  connection = connectionOf();
  connection.start();
});

describe('the live connection', () => {
  it('connects, and hands over the opening and each message that fits', () => {
    expect(connection.getState().connection).toBe('connecting');
    expect(connection.send({ type: 'list_conversations' })).toBe(false);
    last().open();
    // The state says connected before the user is told, so it may send at once.
    expect(calls).toEqual(['open:connected']);
    expect(connection.send({ type: 'list_conversations' })).toBe(true);
    expect(last().sent).toEqual([{ type: 'list_conversations' }]);
    last().receive({ type: 'entries', entries: [delta(1)] });
    last().receive({ type: 'subscribed', conversationId: 'c_1', lastSeq: 1 });
    expect(messages.map((message) => message.type)).toEqual(['entries', 'subscribed']);
  });

  it('keeps what the server says of itself, and starts the backoff over at its hello', () => {
    last().drop();
    network.timers.at(-1)?.callback();
    last().open();
    expect(connection.getState().failedAttempts).toBe(1);
    last().receive({ ...hello(), person: { name: 'Ada' } });
    expect(connection.getState()).toMatchObject({
      connection: 'connected',
      failedAttempts: 0,
      claude: { status: 'ready' },
      // What the user kept of the hello.
      person: { name: 'Ada' },
      versionMismatch: null,
    });
    const tools = [
      {
        name: 'read_file',
        server: 'files',
        title: null,
        description: 'Reads a file.',
        readOnly: true,
        destructive: false,
      },
    ];
    const mcpServers = [{ name: 'files', state: 'ready', error: null, tools: 1 }];
    last().receive({ type: 'tools', tools, mcpServers });
    expect(connection.getState()).toMatchObject({ tools, mcpServers });
    expect(messages).toEqual([]);
  });

  it('tells its listeners of every change, until they leave', () => {
    let told = 0;
    const leave = connection.subscribe(() => {
      told += 1;
    });
    connection.update({ missing: ['c_1'] });
    expect(connection.getState().missing).toEqual(['c_1']);
    leave();
    last().open();
    expect(told).toBe(1);
  });

  it('reconnects with growing, jittered waits and calls itself offline after a few', () => {
    last().open();
    last().drop();
    expect(calls).toEqual(['open:connected', 'close']);
    expect(connection.getState()).toMatchObject({
      connection: 'reconnecting',
      failedAttempts: 1,
      retryAt: 1375,
      synced: [],
    });
    for (let i = 0; i < 4; i += 1) {
      network.timers.at(-1)?.callback();
      expect(connection.getState()).toMatchObject({ connection: 'reconnecting', retryAt: null });
      last().drop();
    }
    expect(network.timers.map((timer) => timer.ms)).toEqual([375, 750, 1500, 3000, 6000]);
    expect(connection.getState()).toMatchObject({ connection: 'offline', failedAttempts: 5 });
    network.timers.at(-1)?.callback();
    expect(connection.getState().connection).toBe('offline');
  });

  it('says offline at once when the device has no network', () => {
    online = false;
    last().drop();
    expect(connection.getState()).toMatchObject({ connection: 'offline', failedAttempts: 1 });
    network.timers.at(-1)?.callback();
    expect(connection.getState().connection).toBe('offline');
  });

  it('skips the wait on reconnectNow, and is offline on markOffline only while not connected', () => {
    last().open();
    connection.markOffline();
    expect(connection.getState().connection).toBe('connected');
    connection.reconnectNow();
    expect(network.sockets).toHaveLength(1);
    last().drop();
    connection.markOffline();
    expect(connection.getState().connection).toBe('offline');
    connection.reconnectNow();
    expect(network.sockets).toHaveLength(2);
    expect(connection.getState()).toMatchObject({ connection: 'reconnecting', retryAt: null });
  });

  it('ignores what an earlier socket says once it was replaced', () => {
    const first = last();
    first.drop();
    connection.reconnectNow();
    first.receive(hello());
    first.open();
    first.drop();
    expect(messages).toEqual([]);
    expect(calls).toEqual(['close']);
    expect(connection.getState().failedAttempts).toBe(1);
  });

  it('gives up when the server refuses the page, keeping the reason it gave first', () => {
    last().open();
    last().drop(4403, 'Origin not allowed.');
    expect(connection.getState()).toMatchObject({
      connection: 'offline',
      refusal: 'Origin not allowed.',
    });
    expect(network.timers).toEqual([]);
    connection.reconnectNow();
    expect(network.sockets).toHaveLength(1);

    connection = connectionOf();
    connection.start();
    last().open();
    connection.update({ refusal: 'Token needed.' });
    last().drop(4401);
    expect(connection.getState().refusal).toBe('Token needed.');
  });

  it('stops for good on stop: the socket closes and nothing reconnects', () => {
    last().open();
    const socket = last();
    connection.stop();
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'page closed' });
    socket.drop();
    connection.reconnectNow();
    connection.start();
    expect(network.sockets).toHaveLength(1);
    expect(network.timers).toEqual([]);
    expect(connection.send({ type: 'list_conversations' })).toBe(false);
  });

  it('stops for good before a newer server, even one whose hello has a new shape', () => {
    last().open();
    const { claude: _, ...rest } = hello({ protocol: PROTOCOL_VERSION + 1 });
    last().receive({ ...rest, status: { claude: 'ready' } });
    expect(messages).toEqual([]);
    expect(calls).toEqual(['open:connected', 'halt']);
    expect(last().closedWith).toEqual({ code: 1000, reason: 'version mismatch' });
    expect(connection.isHalted()).toBe(true);
    expect(connection.getState()).toMatchObject({
      connection: 'offline',
      retryAt: null,
      versionMismatch: { reason: 'page_older', pageWorks: false },
    });
    last().receive(hello());
    last().drop();
    connection.reconnectNow();
    expect(messages).toEqual([]);
    expect(network.sockets).toHaveLength(1);
    expect(network.timers).toEqual([]);
  });

  it('works on with an older machine of its protocol, and says so until the server matches', () => {
    connection = connectionOf({
      versions: { protocol: PROTOCOL_VERSION, machineVersion: MACHINE_VERSION + 1 },
    });
    connection.start();
    last().open();
    last().receive(hello());
    expect(connection.getState()).toMatchObject({
      connection: 'connected',
      versionMismatch: { reason: 'server_older', pageWorks: true },
    });
    expect(connection.getState().claude?.status).toBe('ready');
    last().receive(hello({ machineVersion: MACHINE_VERSION + 1 }));
    expect(connection.getState().versionMismatch).toBeNull();
    expect(connection.isHalted()).toBe(false);
  });

  it('reads entries of its own machine or an older one, and halts at a newer one', () => {
    last().open();
    expect(connection.readsMachine(MACHINE_VERSION)).toBe(true);
    expect(connection.readsMachine(MACHINE_VERSION - 1)).toBe(true);
    expect(calls).not.toContain('halt');
    expect(connection.readsMachine(MACHINE_VERSION + 1)).toBe(false);
    expect(calls).toContain('halt');
    expect(connection.getState()).toMatchObject({
      connection: 'offline',
      pendingCommandIds: [],
      versionMismatch: { reason: 'page_older', pageWorks: false },
    });
  });

  it('calls a message it cannot read unreadable, but halts at a newer machine’s entries', () => {
    last().open();
    last().receive('{ nope');
    last().receive({ type: 'entries', entries: [] });
    const unknown = { ...delta(1), event: { type: 'assistant.hologram', turn: 1 } };
    last().receive({ type: 'entries', entries: [unknown] });
    expect(calls).toEqual(['open:connected', 'unreadable', 'unreadable', 'unreadable']);
    expect(connection.isHalted()).toBe(false);
    last().receive({
      type: 'entries',
      entries: [{ ...unknown, machineVersion: MACHINE_VERSION + 1 }],
    });
    expect(calls.slice(4)).toEqual(['halt']);
    expect(messages).toEqual([]);
    expect(connection.getState().versionMismatch?.reason).toBe('page_older');
  });
});
