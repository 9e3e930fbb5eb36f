import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server as NetServer,
} from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from './node-http-fetch.ts';

// The transport's own edges, against a local HTTP server. What the SDKs do through it (streams,
// retries after 429 and 529, errors mid-stream, cut connections, aborts) is covered by the
// emulator's SDK suites, which run over this transport too.

let server: Server | null = null;
let raw: NetServer | null = null;
afterEach(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  if (raw) await new Promise((resolve) => raw?.close(resolve));
  server = null;
  raw = null;
});

/** A server that writes its answer byte for byte, for what node:http's server refuses to send. */
async function serveRaw(answer: string) {
  raw = createNetServer((socket) => {
    socket.once('data', () => socket.end(answer));
  });
  raw.listen(0, '127.0.0.1');
  await once(raw, 'listening');
  return `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
}

async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the node:http transport', () => {
  it('sends the method, headers and body, and answers with status, headers, body and url', async () => {
    const url = await serve((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        response.setHeader('set-cookie', ['a=1', 'b=2']);
        response.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' });
        response.end(
          JSON.stringify({
            method: request.method,
            key: request.headers['x-api-key'],
            length: request.headers['content-length'],
            body,
          }),
        );
      });
    });
    const response = await createNodeHttpFetch()(`${url}/v1/messages`, {
      method: 'post',
      headers: new Headers({ 'x-api-key': 'k', 'content-type': 'application/json' }),
      body: '{"text":"é"}',
    });
    expect(response.status).toBe(201);
    expect(response.url).toBe(`${url}/v1/messages`);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({
      method: 'POST',
      key: 'k',
      length: '13',
      body: '{"text":"é"}',
    });
  });

  it('answers a streamed body as a Node stream that reads whole like any body, and not twice', async () => {
    const sent = 'event: ping\ndata: {"type":"ping"}\n\nevent: message_stop\ndata: {}\n\n';
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      response.write(sent.slice(0, 20));
      response.end(sent.slice(20));
    });
    const response = await createNodeHttpFetch()(url);
    expect(response.body).not.toBeInstanceOf(ReadableStream);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.bodyUsed).toBe(false);
    expect(await response.text()).toBe(sent);
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(/does not clone/);
  });

  it('answers an error sent as an event stream with a web stream body, which the SDK can cancel', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(529, { 'content-type': 'text/event-stream' });
      response.end('event: error\ndata: {"type":"error"}\n\n');
    });
    const response = await createNodeHttpFetch()(url);
    expect(response.status).toBe(529);
    expect(response.body).toBeInstanceOf(ReadableStream);
    await response.body?.cancel();
  });

  it('fails a body that stalls with ETIMEDOUT instead of waiting for ever', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: ping\ndata: {"type":"ping"}\n\n');
    });
    const response = await createNodeHttpFetch({ idleTimeoutMs: 200 })(url);
    // Read as the SDK reads a streamed body: through its async iterator.
    const chunks = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    expect(new TextDecoder().decode((await chunks.next()).value)).toContain('ping');
    await expect(chunks.next()).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('keeps a reason phrase Response refuses out of the way, and refuses a status it cannot hold', async () => {
    const fetch = createNodeHttpFetch();
    const odd = await fetch(
      await serveRaw(
        'HTTP/1.1 429 Too\u007fMany\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}',
      ),
    );
    expect(odd.status).toBe(429);
    expect(await odd.text()).toBe('{}');
    const url = await serve((_request, response) => {
      response.writeHead(999);
      response.end('{}');
    });
    await expect(fetch(url)).rejects.toThrow(RangeError);
  });

  it('rejects what it cannot send rather than sending it wrongly', async () => {
    const fetch = createNodeHttpFetch();
    await expect(fetch(new Request('http://127.0.0.1:1/'))).rejects.toThrow(/takes a URL/);
    await expect(fetch('ftp://example.com/')).rejects.toThrow(/cannot fetch ftp:/);
    await expect(
      fetch('http://127.0.0.1:1/', { method: 'POST', body: new Blob(['x']) }),
    ).rejects.toThrow(/string or byte bodies, not Blob/);
  });
});
