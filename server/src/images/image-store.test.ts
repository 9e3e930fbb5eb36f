import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClaudeMessageParam } from '@tollgate/machines';
import { afterEach, describe, expect, it } from 'vitest';
import { admitImages } from './admit-images.ts';
import { createFileImageStore } from './file-image-store.ts';
import type { ImageStore } from './image-store.ts';
import { createMemoryImageStore } from './memory-image-store.ts';
import { MissingImageError, resolveImageReferences } from './resolve-image-references.ts';

const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
const bytes = new Uint8Array(Buffer.from(PNG_1X1, 'base64'));
const sha256 = createHash('sha256').update(bytes).digest('hex');
const image = { sha256, mediaType: 'image/png' as const, bytes };

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const stores: [string, () => Promise<ImageStore>][] = [
  ['memory', async () => createMemoryImageStore()],
  [
    'file',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tollgate-images-'));
      dirs.push(dir);
      return createFileImageStore(join(dir, 'images'));
    },
  ],
];

describe.each(stores)('the %s image store', (_, open) => {
  it('keeps an image once by its hash and gives back its bytes and type', async () => {
    const store = await open();
    expect(await store.has(sha256)).toBe(false);
    expect(await store.get(sha256)).toBeNull();
    await store.put(image);
    await store.put(image);
    expect(await store.has(sha256)).toBe(true);
    expect(await store.get(sha256)).toEqual(image);
    expect(await store.get('../../etc/passwd')).toBeNull();
    expect(await store.has('nope')).toBe(false);
  });
});

describe('the file image store', () => {
  it('leaves one file named by the hash, and no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-images-'));
    dirs.push(dir);
    const store = await createFileImageStore(dir);
    await Promise.all([store.put(image), store.put(image)]);
    expect(await readdir(dir)).toEqual([sha256]);
  });
});

describe('resolveImageReferences', () => {
  const messages: ClaudeMessageParam[] = [
    {
      role: 'user',
      content: [
        { type: 'image_reference', sha256, media_type: 'image/png' },
        { type: 'text', text: 'What is it?', cache_control: { type: 'ephemeral' } },
      ],
    },
  ];

  it('puts the stored bytes in as the API base64 image block, before the text', async () => {
    const store = createMemoryImageStore();
    await store.put(image);
    expect(await resolveImageReferences(messages, store)).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1 } },
          { type: 'text', text: 'What is it?', cache_control: { type: 'ephemeral' } },
        ],
      },
    ]);
  });

  it('says which image is missing', async () => {
    await expect(resolveImageReferences(messages, createMemoryImageStore())).rejects.toThrow(
      MissingImageError,
    );
  });
});

describe('admitImages', () => {
  it('lets in a message whose images are stored, and refuses one naming another', async () => {
    const store = createMemoryImageStore();
    await store.put(image);
    const admit = admitImages(store);
    const attachment = { sha256, mediaType: 'image/png' as const, bytes: bytes.length };
    const message = { type: 'user.message' as const, commandId: 'k', text: 'x', at: 0 };
    expect(await admit({ ...message, images: [attachment] })).toBeNull();
    expect(await admit(message)).toBeNull();
    expect(
      await admit({ ...message, images: [{ ...attachment, sha256: 'a'.repeat(64) }] }),
    ).toEqual({
      code: 'unknown_image',
      message: 'The image aaaaaaaaaaaa… is not on this server; attach it again.',
    });
  });
});
