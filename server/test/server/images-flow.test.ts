import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatedServerPerTest } from './emulated-server.ts';
import { say, turnCompleted } from './flow-scripts.ts';

const kit = emulatedServerPerTest();

const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
const png = Buffer.from(PNG_1X1, 'base64');
const sha256 = createHash('sha256').update(png).digest('hex');

function upload(url: string, body: Uint8Array, type = 'image/png', origin?: string) {
  return fetch(`${url}/api/images`, {
    method: 'POST',
    headers: { 'content-type': type, ...(origin ? { origin } : {}) },
    body,
  });
}

/**
 * The status of an upload declared larger than the limit: the server answers it before reading the
 * body, so only its start is sent (a whole body would race the server's close).
 */
function statusOfLargeUpload(url: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/api/images`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'content-length': body.length },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on('error', reject);
    request.write(body.subarray(0, 1024));
  });
}

describe('images in messages', () => {
  it('stores an upload once by its hash, serves it, and sends it to Claude as an image block', async () => {
    const { server, dirs } = await start();
    const first = await upload(server.url, png, 'application/octet-stream');
    expect(first.status).toBe(201);
    const { image } = (await first.json()) as { image: Record<string, unknown> };
    expect(image).toEqual({
      sha256,
      mediaType: 'image/png',
      bytes: png.length,
      width: 1,
      height: 1,
    });
    expect((await upload(server.url, png)).status).toBe(201); // the same image, stored once
    expect(await readFile(join(dirs.dataDir, 'images', sha256))).toEqual(png);

    const served = await fetch(`${server.url}/api/images/${sha256}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('cache-control')).toMatch(/immutable/);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);
    expect((await fetch(`${server.url}/api/images/${'0'.repeat(64)}`)).status).toBe(404);

    kit.emulator.enqueue(say('A single pixel.'));
    const a = await kit.client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'What is this?', images: [image] });
    await turnCompleted(a, id, 1);
    const request = kit.emulator.requests[0]!;
    expect([request.status, request.violations]).toEqual([200, []]);
    const body = request.body as { messages: { role: string; content: unknown[] }[] };
    expect(body.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1 } },
      { type: 'text', text: 'What is this?', cache_control: { type: 'ephemeral' } },
    ]);
    expect(a.entries(id)[0]?.event).toMatchObject({ type: 'user.message', images: [image] });
  });

  it('refuses what is not an image, an image from another origin, and a message naming an unknown image', async () => {
    const { server } = await start();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const refused = await upload(server.url, svg, 'image/png');
    expect(refused.status).toBe(415);
    expect(await refused.json()).toEqual({ error: 'This is not a PNG, JPEG, GIF or WebP image.' });
    expect((await upload(server.url, png, 'text/html')).status).toBe(415);
    expect((await upload(server.url, png, 'image/png', 'https://evil.example')).status).toBe(403);

    const a = await kit.client();
    const id = await a.createConversation();
    await a.subscribe(id);
    const unknown = { sha256: 'f'.repeat(64), mediaType: 'image/png', bytes: 68 };
    const command = a.command(id, { type: 'user.message', text: 'See', images: [unknown] });
    expect(await a.waitForMessage('error', (m) => m.commandId === command)).toMatchObject({
      code: 'command_rejected',
      conversationId: id,
      message: expect.stringMatching(/is not on this server; attach it again/),
    });
    expect(a.entries(id)).toEqual([]);
    expect(kit.emulator.requests).toEqual([]);
    const tooLarge = Buffer.alloc(3_932_161);
    png.copy(tooLarge);
    expect(await statusOfLargeUpload(server.url, tooLarge)).toBe(413);
  });
});

const start = () => kit.start();
