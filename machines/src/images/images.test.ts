import { describe, expect, it } from 'vitest';
import { conversationEventSchema } from '../events/conversation-event.ts';
import { conversationMarkdown } from '../export/conversation-markdown.ts';
import { replay } from '../replay.ts';
import { startConversation } from '../test-support/conversation-harness.ts';
import { toClaudeMessages } from '../to-claude-messages.ts';
import { readImageHeader } from './image-header.ts';
import { MAX_IMAGE_BYTES, MAX_IMAGES_PER_MESSAGE } from './image-limits.ts';
import { judgeImage } from './judge-image.ts';

/** A 1×1 PNG, as the API's documentation sends one. */
const PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  ),
  (c) => c.charCodeAt(0),
);

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((part) =>
      typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part,
    ),
  );

/** A JPEG's start: SOI, an APP0 segment, then a baseline frame of 640×480. */
const JPEG = bytes(
  [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10],
  'JFIF',
  [0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
  [0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0],
);
const GIF = bytes('GIF89a', [0x20, 0x03, 0x58, 0x02, 0, 0, 0]);
/** A lossless WebP of 300×200: width - 1 and height - 1 in 14 bits each after 0x2f. */
function webpLossless(width: number, height: number): Uint8Array {
  const bits = (width - 1) | ((height - 1) << 14);
  return bytes(
    'RIFF',
    [0, 0, 0, 0],
    'WEBP',
    'VP8L',
    [0, 0, 0, 0, 0x2f],
    [bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >> 24) & 0xff],
    [0, 0, 0, 0, 0, 0],
  );
}

describe('readImageHeader', () => {
  it('reads the type and size of PNG, JPEG, GIF and WebP from their bytes', () => {
    expect(readImageHeader(PNG)).toEqual({ mediaType: 'image/png', width: 1, height: 1 });
    expect(readImageHeader(JPEG)).toEqual({ mediaType: 'image/jpeg', width: 640, height: 480 });
    expect(readImageHeader(GIF)).toEqual({ mediaType: 'image/gif', width: 800, height: 600 });
    expect(readImageHeader(webpLossless(300, 200))).toEqual({
      mediaType: 'image/webp',
      width: 300,
      height: 200,
    });
  });

  it('knows nothing else, whatever it is called', () => {
    expect(readImageHeader(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(readImageHeader(bytes('BM', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(readImageHeader(PNG.subarray(0, 16))).toBeNull(); // cut before the size
    expect(readImageHeader(new Uint8Array())).toBeNull();
  });
});

describe('judgeImage', () => {
  it('takes an image within the limits', () => {
    expect(judgeImage(PNG)).toEqual({
      ok: true,
      header: { mediaType: 'image/png', width: 1, height: 1 },
    });
  });

  it('refuses what is not an image, an image too large and one too wide, saying so', () => {
    expect(judgeImage(bytes('GIF is not this'))).toEqual({
      ok: false,
      reason: 'This is not a PNG, JPEG, GIF or WebP image.',
    });
    const large = new Uint8Array(MAX_IMAGE_BYTES + 1);
    large.set(PNG);
    expect(judgeImage(large)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/3\.75 MB/),
    });
    expect(judgeImage(webpLossless(8001, 10))).toEqual({
      ok: false,
      reason: 'The image is 8001×10 pixels; Claude takes at most 8000×8000.',
    });
    expect(judgeImage(webpLossless(8000, 8000)).ok).toBe(true);
  });
});

const image = (n: number) => ({
  sha256: n.toString(16).padStart(64, '0'),
  mediaType: 'image/png' as const,
  bytes: 68,
  width: 1,
  height: 1,
});

describe('a message with images', () => {
  it('is a user.message with references, at most 20, each once', () => {
    const message = { type: 'user.message', commandId: 'k1', text: 'Look', at: 1 };
    expect(conversationEventSchema.safeParse({ ...message, images: [image(1)] }).success).toBe(
      true,
    );
    const many = Array.from({ length: MAX_IMAGES_PER_MESSAGE + 1 }, (_, i) => image(i + 1));
    expect(conversationEventSchema.safeParse({ ...message, images: many }).success).toBe(false);
    expect(
      conversationEventSchema.safeParse({ ...message, images: [image(1), image(1)] }).success,
    ).toBe(false);
    expect(
      conversationEventSchema.safeParse({ ...message, images: [{ ...image(1), sha256: 'x' }] })
        .success,
    ).toBe(false);
  });

  it('reaches Claude as image references before its text, and folds without images as before', () => {
    const c = startConversation();
    c.send({
      type: 'user.message',
      commandId: 'k1',
      text: 'What is this?',
      images: [image(1), image(2)],
      at: 1,
    });
    expect(c.claudeRequests[0]?.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image_reference', sha256: image(1).sha256, media_type: 'image/png' },
          { type: 'image_reference', sha256: image(2).sha256, media_type: 'image/png' },
          { type: 'text', text: 'What is this?' },
        ],
      },
    ]);
    const plain = replay([
      {
        conversationId: 'c',
        seq: 1,
        at: 1,
        machineVersion: 1,
        event: { type: 'user.message', commandId: 'k1', text: 'Hi', at: 1 },
      },
    ]);
    expect(plain.context.items[0]).toEqual({ kind: 'user', id: 'k1', text: 'Hi', at: 1 });
    expect(toClaudeMessages(plain.context)).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);
  });

  it('names its images in the Markdown transcript', () => {
    const c = startConversation();
    c.send({ type: 'user.message', commandId: 'k1', text: 'See', images: [image(1)], at: 0 });
    const markdown = conversationMarkdown(c.context(), {
      conversationId: 'c',
      title: 'T',
      exportedAt: 0,
    });
    expect(markdown).toContain(`- Image: image/png, 68 bytes, sha256 \`${image(1).sha256}\``);
  });
});
