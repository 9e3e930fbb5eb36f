import type { GatewaySocket } from './gateway-socket.ts';

/**
 * Pings every watched socket each `intervalMs` and drops one that has not answered the previous
 * ping: a vanished client (a laptop closed mid-stream) would otherwise hold its subscriptions
 * until the operating system gives up on the connection.
 */
export function startHeartbeat(intervalMs: number) {
  const answered = new Map<GatewaySocket, boolean>();
  const timer = setInterval(() => {
    for (const [socket, answer] of answered) {
      if (!answer) {
        answered.delete(socket);
        socket.terminate();
        continue;
      }
      answered.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();

  return {
    watch(socket: GatewaySocket) {
      answered.set(socket, true);
      socket.onPong(() => {
        if (answered.has(socket)) answered.set(socket, true);
      });
    },
    forget(socket: GatewaySocket) {
      answered.delete(socket);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
