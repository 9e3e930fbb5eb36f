import type { SocketLike } from '../live-connection.ts';

// A WebSocket and timers that tests drive by hand, for the page's live connection and its users
// (the chat's client, the inspector's feed).

export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string) {
    this.readyState = 3;
    this.closedWith = { code, reason };
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  /** A message from the server; a string is sent as it is, anything else as JSON. */
  receive(message: unknown) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  ofType(type: string) {
    return this.sent.filter((message) => message.type === type);
  }
}

export interface FakeTimer {
  callback: () => void;
  ms: number;
}

/**
 * The sockets a connection opens and the timers it sets, kept in order; `options` hands them to
 * it, with a jitter of one half and a clock that stands at 1000.
 */
export function createFakeNetwork() {
  const sockets: FakeSocket[] = [];
  const timers: FakeTimer[] = [];
  const createSocket = (_url: string) => {
    const socket = new FakeSocket();
    sockets.push(socket);
    return socket;
  };
  const setTimer = (callback: () => void, ms: number): unknown => {
    timers.push({ callback, ms });
    return timers.length;
  };
  return {
    sockets,
    timers,
    createSocket,
    setTimer,
    options: {
      createSocket,
      random: () => 0.5,
      now: () => 1000,
      setTimer,
      clearTimer: (_timer: unknown) => undefined,
    },
  };
}
