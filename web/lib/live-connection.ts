import {
  type Compatibility,
  compatibility,
  PAGE_VERSIONS,
  readServerMessage,
  type ServerMessage,
  serverMessageVersionsSchema,
  type Versions,
} from '@tollgate/machines';
import { reconnectDelay } from './reconnect-backoff.ts';
import { initialTransportState, type TransportState } from './transport-state.ts';

// The life of the page's WebSocket, free of any UI framework, for both of the page's users of the
// server's protocol (docs/protocol.md): the chat's client and the flow inspector's feed. It opens
// the socket, reconnects with backoff (calling itself offline after a few misses), gives up when
// the server refuses the page, and stops for good before a server whose versions this page cannot
// follow, until a person reloads it. It keeps the transport state and its listeners; what the
// messages mean is its user's: it hands over each one that fits the page's schema, but for what
// the server says of itself (the hello's Claude and tools, and `tools`), which it keeps.

/** The slice of the WebSocket API the connection uses, so tests can hand it a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface LiveConnectionOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** Whether the device has a network; the browser's navigator.onLine. */
  isOnline?: () => boolean;
  /** This page's protocol and machine versions; tests set them to play a server rollback. */
  versions?: Versions;
}

type HelloMessage = Extract<ServerMessage, { type: 'hello' }>;

/**
 * A message for the connection's user: the hello and `tools` (what the server says of itself) the
 * connection takes into the state itself.
 */
export type ProtocolMessage = Exclude<ServerMessage, { type: 'hello' | 'tools' }>;

/** What the connection's user does with it; each is called only for the current socket. */
export interface LiveConnectionHooks {
  /** The socket opened (the state already says connected): ask for what the user follows. */
  onOpen(): void;
  /** A message that fits the page's schema (any but the hello and `tools`). */
  onMessage(message: ProtocolMessage): void;
  /**
   * A readable hello, whose Claude and tools the connection keeps: what more of it the user keeps
   * (what it returns) joins the same change of the state.
   */
  onHello?(hello: HelloMessage): Partial<TransportState> | undefined;
  /** A message the page cannot read (not JSON, or not of its schema), from a machine it knows. */
  onUnreadable?(): void;
  /** The socket closed (dropped or refused); the connection then retries or gives up. */
  onClose?(): void;
  /**
   * The page stops for good over the server's versions: drop the user's own work. What it returns
   * joins the state's change.
   */
  onHalt?(): Partial<TransportState> | undefined;
}

export interface LiveConnection {
  /** This page's protocol and machine versions. */
  readonly versions: Versions;
  getState(): TransportState;
  /** Changes the state (a new object) and tells the listeners. */
  update(patch: Partial<TransportState>): void;
  subscribe(listener: () => void): () => void;
  /** Opens the connection; call once. */
  start(): void;
  /** Closes for good (the page is going away). */
  stop(): void;
  /** Skips the backoff wait: try now (a person pressed Retry, or the network came back). */
  reconnectNow(): void;
  /** The device lost its network: say so at once rather than when the socket times out. */
  markOffline(): void;
  /** Sends a message if the socket is open; false if it is not (nothing is queued). */
  send(message: unknown): boolean;
  /**
   * Whether the page can read entries of this machine version; one of a newer machine stops the
   * page for good (its meaning is unknown here).
   */
  readsMachine(machineVersion: number): boolean;
  /** The server's versions ruled this page out: nothing is read, sent or retried any more. */
  isHalted(): boolean;
}

const OPEN = 1;
/** Close codes after which reconnecting cannot help (see docs/protocol.md). */
const REFUSED = new Set([4401, 4403]);
/** Failed attempts after which the page calls itself offline (it keeps retrying). */
const OFFLINE_AFTER = 4;

export function createLiveConnection(
  options: LiveConnectionOptions,
  hooks: LiveConnectionHooks,
): LiveConnection {
  const createSocket =
    options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as number));
  const isOnline = options.isOnline ?? (() => true);
  const page = options.versions ?? PAGE_VERSIONS;

  let state = initialTransportState;
  const listeners = new Set<() => void>();
  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let stopped = false;
  let halted = false;

  function update(patch: Partial<TransportState>) {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  }

  function send(message: unknown): boolean {
    if (socket?.readyState !== OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes the socket, or cancels the next attempt; its close is then not heard. */
  function closeFor(reason: string) {
    if (timer !== null) clearTimer(timer);
    timer = null;
    const current = socket;
    socket = null;
    current?.close(1000, reason);
  }

  /**
   * Stops for good: reading entries of a machine the page does not know, or speaking a protocol
   * the server does not, would show a wrong state; reconnecting would meet the same server.
   */
  function halt(check: Exclude<Compatibility, { ok: true }>) {
    halted = true;
    closeFor('version mismatch');
    const own = hooks.onHalt?.();
    update({
      versionMismatch: { reason: check.reason, message: check.message, pageWorks: check.pageWorks },
      connection: 'offline',
      retryAt: null,
      synced: [],
      ...own,
    });
  }

  /** Checks the versions a hello announces; false when the page has halted. */
  function admitHello(versions: Versions): boolean {
    const check = compatibility(versions, page);
    if (check.ok) {
      // The server may be back on the page's versions after a rollback.
      if (state.versionMismatch !== null) update({ versionMismatch: null });
      return true;
    }
    if (!check.pageWorks) {
      halt(check);
      return false;
    }
    update({
      versionMismatch: { reason: check.reason, message: check.message, pageWorks: true },
    });
    return true;
  }

  function readsMachine(machineVersion: number): boolean {
    if (machineVersion <= page.machineVersion) return true;
    const check = compatibility({ protocol: page.protocol, machineVersion }, page);
    if (check.ok) return true;
    halt(check);
    return false;
  }

  function receive(data: unknown) {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      hooks.onUnreadable?.();
      return;
    }
    // A hello's versions first: a newer server's hello need not fit this page's schema to be
    // read. Other messages are read for their versions only if they do not fit (a catch-up's
    // thousands of entries are not walked twice).
    const isHello = (json as { type?: unknown } | null | undefined)?.type === 'hello';
    const hello = isHello ? serverMessageVersionsSchema.safeParse(json) : null;
    if (hello?.success && hello.data.type === 'hello' && !admitHello(hello.data)) return;
    const message = readServerMessage(json);
    if (message !== null) {
      take(message);
      return;
    }
    // An entry of a newer machine may carry an event this page has no schema for, and its
    // checkpoint a context of another shape.
    const versions = serverMessageVersionsSchema.safeParse(json);
    if (versions.success && versions.data.type !== 'hello') {
      const { data } = versions;
      const newest =
        data.type === 'entries'
          ? Math.max(...data.entries.map((entry) => entry.machineVersion))
          : data.machineVersion;
      if (!readsMachine(newest)) return;
    }
    hooks.onUnreadable?.();
  }

  function take(message: ServerMessage) {
    switch (message.type) {
      case 'hello':
        update({
          claude: message.claude,
          tools: message.tools,
          mcpServers: message.mcpServers,
          // The server answered: the backoff starts over.
          failedAttempts: 0,
          ...hooks.onHello?.(message),
        });
        return;
      case 'tools':
        update({ tools: message.tools, mcpServers: message.mcpServers });
        return;
      default:
        hooks.onMessage(message);
    }
  }

  function connect() {
    timer = null;
    if (stopped || halted) return;
    update({
      connection:
        state.failedAttempts === 0
          ? 'connecting'
          : state.failedAttempts <= OFFLINE_AFTER && isOnline()
            ? 'reconnecting'
            : 'offline',
      retryAt: null,
    });
    const current = createSocket(options.url);
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      update({ connection: 'connected', retryAt: null, synced: [], missing: [] });
      hooks.onOpen();
    };
    current.onmessage = (event) => {
      if (socket === current) receive(event.data);
    };
    current.onerror = () => undefined;
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      hooks.onClose?.();
      if (stopped) return;
      if (REFUSED.has(event.code)) {
        update({
          connection: 'offline',
          synced: [],
          refusal: state.refusal ?? (event.reason || `closed with ${event.code}`),
        });
        return;
      }
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    const delay = reconnectDelay(state.failedAttempts, random);
    update({
      // After a few misses the server is probably down, not just restarting: say so plainly.
      connection: isOnline() && state.failedAttempts < OFFLINE_AFTER ? 'reconnecting' : 'offline',
      failedAttempts: state.failedAttempts + 1,
      retryAt: now() + delay,
      synced: [],
    });
    timer = setTimer(connect, delay);
  }

  return {
    versions: page,
    getState: () => state,
    update,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (socket === null && timer === null) connect();
    },
    stop() {
      stopped = true;
      closeFor('page closed');
    },
    reconnectNow() {
      if (stopped || halted || socket !== null || state.refusal !== null) return;
      if (timer !== null) clearTimer(timer);
      connect();
    },
    markOffline() {
      if (state.connection !== 'connected') update({ connection: 'offline' });
    },
    send,
    readsMachine,
    isHalted: () => halted,
  };
}
