// A WebSocket client for the forwarding benchmark, lean on purpose: it takes the receive time
// first, reads a text delta's stamp with a regular expression instead of parsing and validating
// the frame, and skips anything else it is not waiting for, so that the clients (in the
// benchmark's own process) cost little next to what they measure.
import WebSocket from 'ws';
import { readStamp, stampClock } from '../test/claude-emulator/stamp-deltas.ts';

/** Every text in a frame: Tollgate sends a group commit's deltas of a conversation as one frame. */
const STAMPED_TEXT = /"text":"([^"]*)"/g;

export interface LatencyClientOptions {
  /** A frame containing this shows the stream began (`"user.message"`: the command was logged). */
  startMarker: string;
  /** A frame containing this ends the client's stream (`"assistant.completed"`, …). */
  doneMarker: string;
  /** Each stamped text delta: its latency in ms and its position in this client's stream. */
  onDelta: (latencyMs: number, index: number) => void;
}

export async function connectLatencyClient(url: string, options: LatencyClientOptions) {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const waiters = new Set<(text: string) => boolean>();
  const state = {
    deltas: 0,
    /** Messages that carried at least one stamped text delta (a batched frame carries several). */
    deltaMessages: 0,
    /** When the first stamped text delta arrived (stampClock), or null before it. */
    firstDeltaAt: null as number | null,
    /** The emulator's send time stamped in that first delta, or null before it. */
    firstDeltaStamp: null as number | null,
    started: false,
    done: false,
    failures: [] as string[],
    closeCode: null as number | null,
  };
  let greet: () => void = () => {};
  const hello = new Promise<void>((resolve) => {
    greet = resolve;
  });
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  socket.on('message', (data: Buffer) => {
    const receivedAt = stampClock();
    if (data.subarray(0, 16).toString() === '{"type":"hello",') greet();
    // A conversation list can be tens of KB and is rarely wanted; entries are always read.
    const entries = data.subarray(0, 18).toString() === '{"type":"entries",';
    if (waiters.size === 0 && !entries && data.length > 2048) return;
    const text = data.toString();
    if (text.includes('text_delta')) {
      const before = state.deltas;
      for (const match of text.matchAll(STAMPED_TEXT)) {
        const stamp = readStamp(match[1] ?? '');
        if (Number.isNaN(stamp)) continue;
        state.firstDeltaStamp ??= stamp;
        options.onDelta(receivedAt - stamp, state.deltas++);
      }
      if (state.deltas > before) {
        state.deltaMessages++;
        state.firstDeltaAt ??= receivedAt;
      }
      return;
    }
    if (text.includes(options.startMarker)) state.started = true;
    if (text.includes(options.doneMarker)) {
      state.done = true;
      finish();
    } else if (text.includes('"assistant.failed"') || text.startsWith('{"type":"error"')) {
      state.failures.push(text.slice(0, 300));
    }
    for (const waiter of waiters) if (waiter(text)) waiters.delete(waiter);
  });
  socket.on('close', (code) => {
    state.closeCode = code;
    finish();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });

  return {
    socket,
    state,
    /** Resolves when the server's hello arrived (the plain forwarder sends none). */
    hello,
    /** Resolves when the stream's last frame arrived or the socket closed. */
    finished,
    /** Sends a JSON message (unless null) and resolves with the first frame `match` accepts. */
    request<T>(message: object | null, match: (frame: Record<string, unknown>) => T | undefined) {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer within 30 s')), 30_000);
        waiters.add((text) => {
          const found = match(JSON.parse(text) as Record<string, unknown>);
          if (found === undefined) return false;
          clearTimeout(timer);
          resolve(found);
          return true;
        });
        if (message) socket.send(JSON.stringify(message));
      });
    },
    send: (message: object | string) =>
      socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    close: () => socket.terminate(),
  };
}

export type LatencyClient = Awaited<ReturnType<typeof connectLatencyClient>>;
