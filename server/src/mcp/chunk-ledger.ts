import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Where mcp-tools puts each chunk's text in a progress notification. */
export const CHUNK_META_KEY = 'dev.tollgate/chunk';

/** One chunk of a file as it is written, in order. */
export interface ToolChunk {
  /** 0-based, without gaps. */
  index: number;
  text: string;
  /** UTF-8 bytes written so far, this chunk included. */
  bytes: number;
  total: number;
  message?: string;
  /** When the tool had the chunk on disk (epoch ms), if it says: for latency measurements. */
  writtenAt?: number;
}

/** Progress from a tool that reports how far it is but sends no content. */
export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** What a write reports at the end, for the receiver to prove it saw every byte. */
export interface WriteProof {
  bytes: number;
  sha256: string;
  chunks?: number;
}

const progressParamsSchema = z.object({
  progress: z.number().finite().nonnegative(),
  total: z.number().finite().nonnegative().optional(),
  message: z.string().optional(),
  _meta: z.record(z.string(), z.unknown()).optional(),
});

const chunkMetaSchema = z.object({
  index: z.number().int().nonnegative(),
  text: z.string(),
  at: z.number().finite().optional(),
});

export interface ChunkLedger {
  /** Takes one progress notification's params, in transport order. */
  receive(params: Record<string, unknown>): void;
  /** Null when the chunks seen are exactly the bytes the tool says it wrote; else why not. */
  verify(proof: WriteProof): string | null;
  chunkCount(): number;
}

/**
 * Checks a call's progress as it streams: chunks (progress carrying chunk meta) must come
 * 0, 1, 2… with `progress` equal to the bytes seen so far, and each good one goes to `onChunk`
 * at once; other progress goes to `onProgress`. After the first bad chunk no further chunk is
 * delivered (a gap can only be reported, never repaired), and `verify` fails the call.
 * A malformed notification is recorded, never thrown.
 */
export function createChunkLedger(handlers: {
  onChunk?: (chunk: ToolChunk) => void;
  onProgress?: (progress: ToolProgress) => void;
}): ChunkLedger {
  const hash = createHash('sha256');
  let chunks = 0;
  let bytes = 0;
  let problem: string | null = null;

  const fail = (why: string) => {
    problem ??= why;
  };

  return {
    receive(raw) {
      const parsed = progressParamsSchema.safeParse(raw);
      const chunkMeta = raw._meta && typeof raw._meta === 'object' ? raw._meta : undefined;
      const hasChunk = chunkMeta !== undefined && CHUNK_META_KEY in chunkMeta;
      if (!parsed.success) {
        if (hasChunk) fail(`chunk ${chunks} came in a malformed progress notification`);
        return;
      }
      const { progress, total, message } = parsed.data;
      if (!hasChunk) {
        handlers.onProgress?.({
          progress,
          ...(total !== undefined ? { total } : {}),
          ...(message !== undefined ? { message } : {}),
        });
        return;
      }
      if (problem !== null) return;
      const meta = chunkMetaSchema.safeParse(parsed.data._meta?.[CHUNK_META_KEY]);
      if (!meta.success) return fail(`chunk ${chunks} has malformed chunk metadata`);
      const { index, text, at } = meta.data;
      if (index !== chunks) return fail(`expected chunk ${chunks}, received chunk ${index}`);
      const after = bytes + Buffer.byteLength(text, 'utf8');
      if (progress !== after) {
        return fail(`chunk ${index} says ${progress} bytes written, its text makes ${after}`);
      }
      if (total === undefined || total < after) {
        return fail(`chunk ${index} has a total (${total}) below the bytes written (${after})`);
      }
      hash.update(text, 'utf8');
      bytes = after;
      chunks += 1;
      handlers.onChunk?.({
        index,
        text,
        bytes,
        total,
        ...(message !== undefined ? { message } : {}),
        ...(at !== undefined ? { writtenAt: at } : {}),
      });
    },

    verify(proof) {
      if (problem !== null) return problem;
      if (proof.chunks !== undefined && proof.chunks !== chunks) {
        return `the tool wrote ${proof.chunks} chunks, ${chunks} arrived`;
      }
      if (proof.bytes !== bytes) return `the tool wrote ${proof.bytes} bytes, ${bytes} arrived`;
      const seen = hash.copy().digest('hex');
      if (seen !== proof.sha256)
        return `sha256 of the chunks is ${seen}, the tool wrote ${proof.sha256}`;
      return null;
    },

    chunkCount: () => chunks,
  };
}
