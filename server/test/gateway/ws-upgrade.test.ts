import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../src/gateway/gateway-limits.ts';
import { connectWs, startRealGateway } from './support/real-gateway-server.ts';

describe('the WebSocket upgrade', () => {
  it('greets a client with the right token', async () => {
    const { url } = await startRealGateway({ appToken: 'secret' });
    const client = await connectWs(`${url}?token=secret`);
    await client.received(1);
    expect(JSON.parse(client.texts[0]!)).toMatchObject({ type: 'hello' });
    expect(client.closure()).toBeNull();
  });

  it('tells a client without the token why, then closes with 4401', async () => {
    const { url } = await startRealGateway({ appToken: 'secret' });
    const client = await connectWs(`${url}?token=wrong`);
    expect(await client.closed()).toEqual({ code: CLOSE.unauthorized, reason: 'token required' });
    expect(client.texts.map((text) => JSON.parse(text))).toMatchObject([
      { type: 'error', code: 'unauthorized' },
    ]);
  });

  it('tells a page from another origin why, then closes with 4403', async () => {
    const { url } = await startRealGateway();
    const client = await connectWs(url, { origin: 'https://elsewhere.example' });
    expect(await client.closed()).toEqual({
      code: CLOSE.forbiddenOrigin,
      reason: 'origin not allowed',
    });
    expect(client.texts.map((text) => JSON.parse(text))).toMatchObject([
      { type: 'error', code: 'forbidden_origin' },
    ]);
  });

  it('closes a new socket with 1013 while conversations cannot be served, and lets it in after', async () => {
    let available = false;
    const { url } = await startRealGateway({ available: () => available });
    const refused = await connectWs(url);
    expect(await refused.closed()).toEqual({
      code: CLOSE.unavailable,
      reason: 'database unavailable',
    });
    expect(refused.texts).toEqual([]);

    available = true;
    const client = await connectWs(url);
    await client.received(1);
    expect(JSON.parse(client.texts[0]!)).toMatchObject({ type: 'hello' });
    expect(client.closure()).toBeNull();
  });

  it('refuses a frame over the size limit by its bytes, text or binary', async () => {
    const { url } = await startRealGateway({ limits: { maxMessageBytes: 100 } });
    const client = await connectWs(url);
    client.socket.send(`{${'x'.repeat(200)}`);
    client.socket.send(Buffer.alloc(101));
    client.socket.send(Buffer.alloc(100));
    await client.received(4);
    expect(client.texts.slice(1).map((text) => JSON.parse(text).code)).toEqual([
      'too_large',
      'too_large',
      'bad_json',
    ]);
  });
});
