import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { splitIntoChunks } from './split-into-chunks.ts';
import { assertRealDirInside, WorkspacePathError } from './workspace-path.ts';

export interface WrittenChunk {
  index: number;
  text: string;
  /** Bytes written so far, this chunk included. */
  bytes: number;
  total: number;
}

export interface WriteOutcome {
  bytes: number;
  sha256: string;
  chunks: number;
}

export interface WriteOptions {
  root: string;
  target: string;
  content: string;
  overwrite: boolean;
  chunkBytes: number;
  chunkDelayMs: number;
  signal: AbortSignal;
  /** Awaited after each chunk is on disk and before the next is written. */
  onChunk: (chunk: WrittenChunk) => Promise<void>;
}

export class WriteCancelledError extends Error {
  override name = 'WriteCancelledError';
}

/**
 * Writes `content` chunk by chunk into a temporary file beside the target, reporting each chunk
 * once it is written, then renames it into place. A cancelled or failed write removes the
 * temporary file, so the target is either untouched or complete.
 */
export async function writeFileProgressively(options: WriteOptions): Promise<WriteOutcome> {
  const { root, target, content, signal } = options;
  if (!options.overwrite) {
    const present = await lstat(target).then(
      () => true,
      () => false,
    );
    if (present) {
      throw new WorkspacePathError(
        `${basename(target)} already exists; call again with overwrite: true to replace it.`,
      );
    }
  }
  const total = Buffer.byteLength(content);
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${randomBytes(6).toString('hex')}.tollgate-partial`,
  );
  await assertRealDirInside(root, dirname(target));
  // O_EXCL and O_NOFOLLOW: never reuse or follow anything already at the temporary name.
  const handle = await open(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o644,
  );
  const hash = createHash('sha256');
  let written = 0;
  let index = 0;
  let renamed = false;
  try {
    for (const { text, bytes: buffer } of splitIntoChunks(content, options.chunkBytes)) {
      if (signal.aborted) throw new WriteCancelledError('The write was cancelled.');
      await handle.write(buffer, 0, buffer.length, written);
      hash.update(buffer);
      written += buffer.length;
      await options.onChunk({ index, text, bytes: written, total });
      index += 1;
      if (options.chunkDelayMs > 0) {
        await delay(options.chunkDelayMs, undefined, { signal }).catch(() => undefined);
      }
    }
    if (signal.aborted) throw new WriteCancelledError('The write was cancelled.');
    await handle.sync();
    await handle.close();
    await assertRealDirInside(root, dirname(target));
    await rename(temporary, target);
    renamed = true;
    return { bytes: written, sha256: hash.digest('hex'), chunks: index };
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
    }
  }
}
