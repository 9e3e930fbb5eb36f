import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ImageMediaType, readImageHeader } from '@tollgate/machines';
import type { ImageStore } from './image-store.ts';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * An ImageStore in a folder (`DATA_DIR/images`): one file per image, named by the sha256 of its
 * bytes, written to a temporary name and renamed, so a file under its final name is always whole.
 * Two writers of the same image (two instances on a shared volume) write the same bytes to the
 * same name, so either rename wins. The type is read back from the bytes, as it was judged.
 */
export async function createFileImageStore(dir: string): Promise<ImageStore> {
  await mkdir(dir, { recursive: true });
  const pathOf = (sha256: string) => {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(dir, sha256);
  };
  const exists = async (sha256: string) => {
    try {
      return (await stat(pathOf(sha256))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  };
  return {
    async put(image) {
      if (await exists(image.sha256)) return;
      const temporary = join(dir, `.${image.sha256}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temporary, image.bytes, { flush: true });
        await rename(temporary, pathOf(image.sha256));
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw error;
      }
    },
    async get(sha256) {
      if (!SHA256.test(sha256)) return null;
      let bytes: Buffer;
      try {
        bytes = await readFile(pathOf(sha256));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      const mediaType: ImageMediaType | undefined = readImageHeader(bytes)?.mediaType;
      if (!mediaType) throw new Error(`the stored image ${sha256} is not an image any more`);
      return { sha256, mediaType, bytes: new Uint8Array(bytes) };
    },
    has: (sha256) => (SHA256.test(sha256) ? exists(sha256) : Promise.resolve(false)),
  };
}
