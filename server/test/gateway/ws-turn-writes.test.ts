import type { ServerMessage } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { connectWs, startRealGateway } from './support/real-gateway-server.ts';

const created = (n: number): ServerMessage => ({
  type: 'conversation_created',
  requestId: `r${n}`,
  conversation: { id: 'c1', title: null, createdAt: 0, updatedAt: 0, lastSeq: n },
});

describe('messages sent in one turn', () => {
  it('leave in one write at the end of the turn, each its own message, in order', async () => {
    const { gateway, streams, url } = await startRealGateway();
    const client = await connectWs(url);
    await client.received(1);
    const [stream] = streams;
    if (!stream) throw new Error('no upgrade was seen');

    // Every write the socket makes from here on, as the number of buffers it hands the system.
    const writes: number[] = [];
    const socket = stream as unknown as {
      _write: (chunk: unknown, encoding: unknown, done: unknown) => void;
      _writev: (chunks: unknown[], done: unknown) => void;
    };
    const write = socket._write.bind(socket);
    const writev = socket._writev.bind(socket);
    socket._write = (chunk, encoding, done) => {
      writes.push(1);
      write(chunk, encoding, done);
    };
    socket._writev = (chunks, done) => {
      writes.push(chunks.length);
      writev(chunks, done);
    };

    const count = 300;
    const texts = Array.from({ length: count }, (_, n) => JSON.stringify(created(n)));
    for (let n = 0; n < count; n++) gateway.broadcast(created(n));

    // Nothing has been written yet: every frame of the turn waits in the corked stream...
    expect(stream.writableCorked).toBeGreaterThan(0);
    const payloadBytes = texts.reduce((bytes, text) => bytes + Buffer.byteLength(text), 0);
    expect(stream.writableLength).toBeGreaterThanOrEqual(payloadBytes);
    // ...until the turn ends and the stream is uncorked, once.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(stream.writableCorked).toBe(0);

    await client.received(1 + count);
    expect(client.texts.slice(1)).toEqual(texts);
    // One system write for the turn's 300 frames.
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBeGreaterThanOrEqual(count);
  });

  it('the next turn corks again', async () => {
    const { gateway, streams, url } = await startRealGateway();
    const client = await connectWs(url);
    await client.received(1);
    const [stream] = streams;
    if (!stream) throw new Error('no upgrade was seen');
    gateway.broadcast(created(1));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(stream.writableCorked).toBe(0);
    gateway.broadcast(created(2));
    expect(stream.writableCorked).toBeGreaterThan(0);
    await client.received(3);
    expect(client.texts.slice(1).map((text) => JSON.parse(text).requestId)).toEqual(['r1', 'r2']);
  });
});
