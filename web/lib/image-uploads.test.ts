import { describe, expect, it } from 'vitest';
import { imageFiles, imageSrc, uploadImage } from './image-uploads.ts';

const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
const png = Uint8Array.from(atob(PNG_1X1), (c) => c.charCodeAt(0));
const attachment = {
  sha256: 'a'.repeat(64),
  mediaType: 'image/png',
  bytes: 68,
  width: 1,
  height: 1,
};

describe('uploadImage', () => {
  it('sends the bytes with the type they are, and gives back the attachment', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const send = (async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(JSON.stringify({ image: attachment }), { status: 201 });
    }) as typeof fetch;
    // Declared as JPEG, but it is a PNG: its bytes decide.
    const outcome = await uploadImage(new Blob([png], { type: 'image/jpeg' }), send);
    expect(outcome).toEqual({ ok: true, image: attachment });
    expect(calls[0]?.[0]).toBe('/api/images');
    expect(calls[0]?.[1]?.headers).toEqual({ 'content-type': 'image/png' });
  });

  it('refuses what Claude would refuse without sending it, and says what the server said', async () => {
    const send = (async () =>
      new Response(JSON.stringify({ error: 'No.' }), { status: 400 })) as unknown as typeof fetch;
    expect(await uploadImage(new Blob(['<svg/>'], { type: 'image/svg+xml' }), send)).toEqual({
      ok: false,
      message: 'This is not a PNG, JPEG, GIF or WebP image.',
    });
    expect(await uploadImage(new Blob([png]), send)).toEqual({ ok: false, message: 'No.' });
  });
});

describe('imageFiles and imageSrc', () => {
  it('keeps image files only, and serves by hash', () => {
    const files = [new File(['x'], 'a.png', { type: 'image/png' }), new File(['x'], 'a.txt')];
    expect(imageFiles(files).map((file) => file.name)).toEqual(['a.png']);
    expect(imageSrc('ab')).toBe('/api/images/ab');
  });
});
