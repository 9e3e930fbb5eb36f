import { type ServerMessage, serverMessageSchema } from '@tollgate/machines';
import type { GatewayFrame, GatewaySocket } from '../../../src/gateway/gateway-socket.ts';

export interface Closure {
  code: number;
  reason: string;
  /** Dropped without a closing handshake (`terminate`). */
  terminated: boolean;
}

export interface LinkedSocketPairOptions {
  /** Whether the client end answers pings, as a live browser does. Default true. */
  answerPings?: boolean;
}

/**
 * Two ends of an in-memory WebSocket: `server`, a GatewaySocket to hand to the gateway, and
 * `client`, the tab a test plays. Messages are delivered synchronously both ways, so when `send`
 * returns the other end has been handed it (what the gateway does with it may take longer: it
 * waits for the store, so a test waits for the answer with `received`); only a pong comes back
 * later (a microtask), as it would over a network. A paused client reads nothing: what the server sends piles up in its
 * `bufferedAmount`, as for a tab that stopped reading.
 */
export function createLinkedSocketPair(options: LinkedSocketPairOptions = {}) {
  const messageListeners: Array<(frame: GatewayFrame) => void> = [];
  const pongListeners: Array<() => void> = [];
  const closeListeners: Array<() => void> = [];
  const receivedText: string[] = [];
  const unread: string[] = [];
  const pingWaiters = new Set<() => void>();
  // Woken by every message the client reads and by the close.
  const readWaiters = new Set<() => void>();
  const wakeReaders = () => {
    for (const wake of [...readWaiters]) wake();
  };
  let closure: Closure | null = null;
  let paused = false;
  let pings = 0;
  let resolveClosed: (closure: Closure) => void = () => {};
  const closed = new Promise<Closure>((resolve) => {
    resolveClosed = resolve;
  });

  function end(how: Closure) {
    if (closure) return;
    closure = how;
    resolveClosed(how);
    for (const listener of closeListeners) listener();
    wakeReaders();
  }

  const server: GatewaySocket = {
    get isOpen() {
      return closure === null;
    },
    get bufferedAmount() {
      return unread.reduce((bytes, text) => bytes + Buffer.byteLength(text), 0);
    },
    send(text) {
      if (closure) return;
      if (paused) unread.push(text);
      else {
        receivedText.push(text);
        wakeReaders();
      }
    },
    close: (code, reason) => end({ code, reason, terminated: false }),
    terminate: () => end({ code: 1006, reason: '', terminated: true }),
    ping() {
      if (closure) return;
      pings += 1;
      for (const wake of pingWaiters) wake();
      if (options.answerPings === false) return;
      queueMicrotask(() => {
        if (closure) return;
        for (const listener of pongListeners) listener();
      });
    },
    onMessage: (listener) => {
      messageListeners.push(listener);
    },
    onPong: (listener) => {
      pongListeners.push(listener);
    },
    onClose: (listener) => {
      closeListeners.push(listener);
    },
  };

  const client = {
    /** A string is a text message, bytes a binary one. */
    send(data: string | Uint8Array) {
      if (closure) throw new Error('the socket is closed');
      const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
      const frame: GatewayFrame = {
        byteLength: bytes.length,
        isBinary: typeof data !== 'string',
        text: () => bytes.toString('utf8'),
      };
      for (const listener of messageListeners) listener(frame);
    },
    sendJson(message: unknown) {
      client.send(JSON.stringify(message));
    },
    /** Every message read so far, each checked against the protocol's schema. */
    messages(): ServerMessage[] {
      return receivedText.map((text) => serverMessageSchema.parse(JSON.parse(text)));
    },
    /** The messages read since the last call: what the last thing the test did brought. */
    takeMessages(): ServerMessage[] {
      const taken = client.messages();
      receivedText.length = 0;
      return taken;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      receivedText.push(...unread.splice(0));
      wakeReaders();
    },
    /**
     * Settles once the client has read `count` messages since the last `takeMessages` (at once if
     * it has), or the socket closed: what the gateway answers once it has handled a message.
     */
    received(count: number): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (receivedText.length < count && closure === null) return;
          readWaiters.delete(check);
          resolve();
        };
        readWaiters.add(check);
        check();
      });
    },
    close() {
      end({ code: 1000, reason: '', terminated: false });
    },
    /** How it was closed, or null while open. */
    closure: (): Closure | null => closure,
    /** Settles when either end closes it. */
    closed,
    pings: () => pings,
    /** Settles once the server has sent `count` pings in all. */
    pinged(count: number): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (pings < count) return;
          pingWaiters.delete(check);
          resolve();
        };
        pingWaiters.add(check);
        check();
      });
    },
  };

  return { server, client };
}

export type LinkedClient = ReturnType<typeof createLinkedSocketPair>['client'];
