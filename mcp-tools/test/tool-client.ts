import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const STDIO_ENTRY = new URL('../dist/stdio.js', import.meta.url).pathname;

export interface SeenChunk {
  index: number;
  text: string;
  progress: number;
  total: number;
  message: string;
}

/**
 * Wraps a transport so that chunk progress notifications are read off it in order, before the
 * SDK's Protocol sees them (its own `onprogress` can drop those that arrive with the result,
 * typescript-sdk#2580).
 */
export function tapChunks(transport: Transport, chunks: SeenChunk[]): Transport {
  return {
    start: () => transport.start(),
    send: (message) => transport.send(message),
    close: () => transport.close(),
    set onmessage(handler: ((message: JSONRPCMessage) => void) | undefined) {
      transport.onmessage = (message) => {
        if ('method' in message && message.method === 'notifications/progress') {
          const params = message.params as Record<string, unknown>;
          const meta = (
            params._meta as Record<string, { index: number; text: string }> | undefined
          )?.['dev.tollgate/chunk'];
          if (meta) {
            chunks.push({
              index: meta.index,
              text: meta.text,
              progress: params.progress as number,
              total: params.total as number,
              message: params.message as string,
            });
          }
        }
        handler?.(message);
      };
    },
    set onclose(handler: (() => void) | undefined) {
      transport.onclose = handler;
    },
    set onerror(handler: ((error: Error) => void) | undefined) {
      transport.onerror = handler;
    },
  };
}

/** The SDK's Client over a real stdio child process running the built tool server. */
export async function startToolClient(env: Record<string, string> = {}) {
  const root = await mkdtemp(join(tmpdir(), 'tollgate-tools-'));
  const workspace = join(root, 'workspace');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [STDIO_ENTRY],
    env: { PATH: process.env.PATH ?? '', WORKSPACE_DIR: workspace, ...env },
    stderr: 'pipe',
  });
  const chunks: SeenChunk[] = [];
  const tapped = tapChunks(transport, chunks);
  const client = new Client({ name: 'tollgate-tests', version: '0' });
  // The SDK reports late progress as an error; here every notification is read off the transport.
  client.onerror = () => undefined;
  await client.connect(tapped);
  return {
    root,
    workspace,
    client,
    chunks,
    call(name: string, args: Record<string, unknown>, options: { signal?: AbortSignal } = {}) {
      return client.callTool({ name, arguments: args }, undefined, {
        onprogress: () => undefined,
        resetTimeoutOnProgress: true,
        ...options,
      }) as Promise<CallToolResult>;
    },
    close: () => client.close(),
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}
