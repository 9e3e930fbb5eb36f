import { once } from 'node:events';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { createServer } from 'node:tls';
import type { TestCertificate } from './test-certificate.ts';

export interface TlsFront {
  port: number;
  close(): Promise<void>;
}

/**
 * TLS in front of a plain local server (the emulator), as the real API is reached: it ends TLS
 * with the test certificate and passes the bytes on, unchanged, to 127.0.0.1:`port`.
 */
export async function startTlsFront(port: number, certificate: TestCertificate): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const server = createServer({ cert: certificate.cert, key: certificate.key }, (secure) => {
    const plain = connect(port, '127.0.0.1');
    for (const socket of [secure, plain]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        secure.destroy();
        plain.destroy();
      });
    }
    secure.pipe(plain).pipe(secure);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
