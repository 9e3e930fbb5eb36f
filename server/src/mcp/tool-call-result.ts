import type { FileWritten } from '@tollgate/machines';
import { z } from 'zod';
import type { ChunkLedger } from './chunk-ledger.ts';
import { ToolCallError } from './tool-call-error.ts';

export interface ToolCallResult {
  /** Text blocks joined; other blocks described in a line each. Goes back to Claude. */
  content: string;
  /** The tool ran and reported an error (MCP `isError`). */
  isError: boolean;
  /** Present when the tool wrote a file and every byte of it was seen as a chunk. */
  file?: FileWritten;
  server: string;
}

// The SDK has validated the result against MCP's schema already; these are the parts the hub
// relies on, checked again here so a loosened SDK schema can never hand us something else.
const contentBlockSchema = z.looseObject({ type: z.string() });
const callToolResultSchema = z.looseObject({
  content: z.array(contentBlockSchema).default([]),
  isError: z.boolean().default(false),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
});

/** A written file's receipt, as mcp-tools' write_file returns it. */
const writeReceiptSchema = z.object({
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  chunks: z.number().int().nonnegative(),
});

/**
 * Reads a tools/call result. A result with a write receipt ({path, bytes, sha256, chunks}) is
 * accepted only if the chunks the ledger saw are exactly those bytes: otherwise the call fails
 * with "chunks lost or corrupted", since the person would have watched a different file.
 */
export function readToolResult(
  raw: unknown,
  ledger: ChunkLedger,
  call: { server: string; tool: string },
): ToolCallResult {
  const parsed = callToolResultSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ToolCallError(
      'invalid_reply',
      `The ${call.server} server sent a malformed result for ${call.tool}.`,
      { cause: parsed.error },
    );
  }
  const { content, isError, structuredContent } = parsed.data;
  const receipt = isError ? undefined : writeReceiptSchema.safeParse(structuredContent).data;
  if (receipt) {
    const problem = ledger.verify(receipt);
    if (problem !== null) {
      throw new ToolCallError(
        'chunks_lost',
        `${call.tool} finished, but its chunks were lost or corrupted on the way: ${problem}.`,
      );
    }
  }
  // Chunks without a receipt cannot be proven complete: no `file` is claimed for them.
  const text = content.map(describeBlock).join('\n');
  return {
    content:
      text === '' && structuredContent !== undefined ? JSON.stringify(structuredContent) : text,
    isError,
    ...(receipt
      ? { file: { path: receipt.path, bytes: receipt.bytes, sha256: receipt.sha256 } }
      : {}),
    server: call.server,
  };
}

function describeBlock(block: z.infer<typeof contentBlockSchema>): string {
  const field = (key: string) => (typeof block[key] === 'string' ? (block[key] as string) : '');
  switch (block.type) {
    case 'text':
      return field('text');
    case 'image':
    case 'audio':
      return `[${block.type}: ${field('mimeType') || 'unknown type'}, ${approxBytes(field('data'))}]`;
    case 'resource_link':
      return `[link: ${field('name') || field('uri')} ${field('uri')}]`;
    case 'resource': {
      const resource = block.resource as Record<string, unknown> | undefined;
      const uri = typeof resource?.uri === 'string' ? resource.uri : 'unknown';
      return typeof resource?.text === 'string'
        ? `[resource ${uri}]\n${resource.text}`
        : `[resource: ${uri}]`;
    }
    default:
      return `[${block.type} content]`;
  }
}

function approxBytes(base64: string): string {
  return `${Math.floor((base64.length * 3) / 4)} bytes`;
}
