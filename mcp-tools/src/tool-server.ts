import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolConfig } from './tool-config.ts';
import {
  resolveForReading,
  resolveForWriting,
  WorkspacePathError,
  workspaceRoot,
} from './workspace-path.ts';
import { WriteCancelledError, writeFileProgressively } from './write-file-progressively.ts';

/** Where each chunk's text travels in a progress notification, namespaced as MCP asks. */
export const CHUNK_META_KEY = 'dev.tollgate/chunk';

const LIST_LIMIT = 1000;

/** Reading changes nothing, gives the same answer twice, and never leaves the workspace. */
const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

function refusal(error: unknown): CallToolResult {
  const known = error instanceof WorkspacePathError || error instanceof WriteCancelledError;
  const message = known
    ? (error as Error).message
    : `The file operation failed: ${error instanceof Error ? error.message : String(error)}`;
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** The Tollgate file tools as an MCP server: write_file (streamed), read_file, list_files. */
export function createToolServer(config: ToolConfig): McpServer {
  const server = new McpServer(
    { name: 'tollgate-files', version: '0.1.0' },
    {
      instructions: `File tools for the workspace folder. Paths are relative to it, like notes/a.md; nothing outside it can be read or written.`,
    },
  );

  server.registerTool(
    'write_file',
    {
      title: 'Write file',
      description:
        'Create a text file in the workspace, or replace one when overwrite is true, with exactly the given content. Parent folders are created. The file is written progressively and appears only once complete. Paths are relative to the workspace (e.g. notes/a.md).',
      inputSchema: {
        path: z.string().describe('Path relative to the workspace, e.g. notes/a.md'),
        content: z.string().describe('The complete text content of the file'),
        overwrite: z.boolean().optional().describe('Replace the file if it exists (default false)'),
      },
      outputSchema: {
        path: z.string(),
        bytes: z.number().int(),
        sha256: z.string(),
        chunks: z.number().int(),
      },
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async ({ path, content, overwrite }, extra) => {
      try {
        const total = Buffer.byteLength(content);
        if (total > config.maxFileBytes) {
          throw new WorkspacePathError(
            `The content is ${total} bytes; files are limited to ${config.maxFileBytes} bytes.`,
          );
        }
        const root = await workspaceRoot(config.workspaceDir);
        const target = await resolveForWriting(root, path);
        const progressToken = extra._meta?.progressToken;
        const shown = relative(root, target);
        const outcome = await writeFileProgressively({
          root,
          target,
          content,
          overwrite: overwrite ?? false,
          chunkBytes: config.chunkBytes,
          chunkDelayMs: config.chunkDelayMs,
          signal: extra.signal,
          onChunk: async (chunk) => {
            if (progressToken === undefined) return;
            await extra.sendNotification({
              method: 'notifications/progress',
              params: {
                progressToken,
                progress: chunk.bytes,
                total: chunk.total,
                message: `Writing ${shown}: chunk ${chunk.index + 1}, ${chunk.bytes} of ${chunk.total} bytes`,
                // `at` (epoch ms, sub-millisecond) lets a receiver measure chunk latency.
                _meta: {
                  [CHUNK_META_KEY]: {
                    index: chunk.index,
                    text: chunk.text,
                    at: performance.timeOrigin + performance.now(),
                  },
                },
              },
            });
          },
        });
        const structured = { path: shown, ...outcome };
        return {
          content: [
            {
              type: 'text',
              text: `Wrote ${shown}: ${outcome.bytes} bytes in ${outcome.chunks} chunks (sha256 ${outcome.sha256}).`,
            },
          ],
          structuredContent: structured,
        };
      } catch (error) {
        return refusal(error);
      }
    },
  );

  server.registerTool(
    'read_file',
    {
      title: 'Read file',
      description: 'Read a text file from the workspace. Paths are relative to the workspace.',
      inputSchema: { path: z.string().describe('Path relative to the workspace') },
      annotations: READ_ONLY,
    },
    async ({ path }) => {
      try {
        const root = await workspaceRoot(config.workspaceDir);
        const real = await resolveForReading(root, path);
        const info = await stat(real);
        if (!info.isFile()) throw new WorkspacePathError(`${path} is not a file.`);
        if (info.size > config.maxFileBytes) {
          throw new WorkspacePathError(
            `${path} is ${info.size} bytes; the limit is ${config.maxFileBytes}.`,
          );
        }
        const bytes = await readFile(real);
        if (bytes.includes(0)) throw new WorkspacePathError(`${path} is a binary file.`);
        return { content: [{ type: 'text', text: bytes.toString('utf8') }] };
      } catch (error) {
        return refusal(error);
      }
    },
  );

  server.registerTool(
    'list_files',
    {
      title: 'List files',
      description:
        'List the files and folders in a workspace folder (the workspace itself by default), recursively, with sizes.',
      inputSchema: { path: z.string().optional().describe('Folder relative to the workspace') },
      annotations: READ_ONLY,
    },
    async ({ path }) => {
      try {
        const root = await workspaceRoot(config.workspaceDir);
        const dir = path && path !== '.' ? await resolveForReading(root, path) : root;
        const entries = await readdir(dir, { recursive: true, withFileTypes: true });
        const lines: string[] = [];
        for (const entry of entries) {
          if (entry.name.endsWith('.tollgate-partial')) continue;
          const full = join(entry.parentPath, entry.name);
          const rel = relative(root, full);
          if (entry.isDirectory()) lines.push(`${rel}/`);
          else if (entry.isFile()) lines.push(`${rel} (${(await stat(full)).size} bytes)`);
          if (lines.length >= LIST_LIMIT) break;
        }
        lines.sort();
        const text =
          lines.length === 0
            ? 'The folder is empty.'
            : lines.join('\n') +
              (lines.length >= LIST_LIMIT ? `\n(first ${LIST_LIMIT} entries)` : '');
        return { content: [{ type: 'text', text }] };
      } catch (error) {
        return refusal(error);
      }
    },
  );

  return server;
}
