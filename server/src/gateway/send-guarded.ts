import type { ServerMessage } from '@tollgate/machines';
import { CLOSE } from './gateway-limits.ts';
import type { GatewaySocket } from './gateway-socket.ts';

/**
 * Sends a message unless the socket is gone. A client that cannot keep up is cut loose rather
 * than buffered without bound; it resumes from its last seq when it reconnects. `allowance` is
 * what the client asked for on top: a catch-up it requested may be larger than the limit, and
 * must not get it cut loose before it could read it (or it would reconnect and ask again, for
 * ever).
 */
export function sendGuarded(
  socket: GatewaySocket,
  message: ServerMessage | string,
  maxBufferedBytes: number,
  allowance = 0,
): void {
  if (!socket.isOpen) return;
  if (socket.bufferedAmount > maxBufferedBytes + allowance) {
    socket.close(CLOSE.slowConsumer, 'too slow: reconnect and resume');
    return;
  }
  socket.send(typeof message === 'string' ? message : JSON.stringify(message));
}
