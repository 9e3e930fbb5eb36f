import type { ImageStore, StoredImage } from './image-store.ts';

/** An ImageStore in memory: the double tests use. */
export function createMemoryImageStore(): ImageStore & { size(): number } {
  const images = new Map<string, StoredImage>();
  return {
    async put(image) {
      if (!images.has(image.sha256))
        images.set(image.sha256, { ...image, bytes: image.bytes.slice() });
    },
    async get(sha256) {
      return images.get(sha256) ?? null;
    },
    async has(sha256) {
      return images.has(sha256);
    },
    size: () => images.size,
  };
}
