import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

export interface TestProxy {
  /** e.g. http://127.0.0.1:PORT, for HTTPS_PROXY / HTTP_PROXY */
  url: string;
  /** Every request line it received, in order: `CONNECT host:port` or `POST http://host/path`. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A forward proxy as a company runs one, small enough to read: CONNECT tunnels (for https://)
 * and absolute-URL requests (for http://). Like a real proxy it resolves the names it is asked
 * for itself, here from `hosts` ("name:port" → a port on 127.0.0.1), so a test can use names no
 * resolver knows and the request can only arrive through the proxy. A CONNECT to a name in
 * `refuse` is answered 403, as a policy would; an unknown name, 502.
 */
export async function startTestProxy(
  hosts: Record<string, number>,
  { refuse = [] }: { refuse?: string[] } = {},
): Promise<TestProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    const target = new URL(request.url ?? '');
    const port = hosts[`${target.hostname}:${target.port || 80}`];
    if (port === undefined) {
      response.writeHead(502).end();
      return;
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: request.method, path: target.pathname + target.search },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !name.startsWith('proxy-')) upstream.setHeader(name, value);
    }
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connection', track);
  server.on('connect', (request, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    seen.push(`CONNECT ${target}`);
    const port = hosts[target];
    if (refuse.includes(target) || port === undefined) {
      const status = refuse.includes(target) ? '403 Forbidden' : '502 Bad Gateway';
      client.end(`HTTP/1.1 ${status}\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    track(upstream);
    for (const socket of [client, upstream]) {
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
