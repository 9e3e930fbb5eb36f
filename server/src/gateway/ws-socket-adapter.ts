import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { GatewayFrame, GatewaySocket } from './gateway-socket.ts';
import { createTurnCork } from './turn-cork.ts';

function frameOf(data: RawData, isBinary: boolean): GatewayFrame {
  const bytes = Buffer.isBuffer(data)
    ? data
    : Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.from(data);
  return { byteLength: bytes.length, isBinary, text: () => bytes.toString('utf8') };
}

/**
 * A `ws` WebSocket as a GatewaySocket. `stream` is the socket the upgrade came on, the one ws
 * writes its frames to: it is corked for the rest of the turn on a turn's first send.
 */
export function adaptWsSocket(
  ws: WebSocket,
  stream: Duplex,
  onError: (error: Error) => void,
): GatewaySocket {
  const cork = createTurnCork(stream);
  // Without a listener, a socket error (a reset peer, say) would be thrown as an uncaught error.
  ws.on('error', onError);
  return {
    get isOpen() {
      return ws.readyState === ws.OPEN;
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    send(text) {
      cork.hold();
      ws.send(text);
    },
    close: (code, reason) => ws.close(code, reason),
    terminate: () => ws.terminate(),
    ping: () => ws.ping(),
    onMessage(listener) {
      ws.on('message', (data, isBinary) => listener(frameOf(data, isBinary)));
    },
    onPong(listener) {
      ws.on('pong', () => listener());
    },
    onClose(listener) {
      ws.on('close', () => listener());
    },
  };
}
