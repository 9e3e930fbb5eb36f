import { resolve } from 'node:path';

/** How the tool server is configured, from its environment. */
export interface ToolConfig {
  /** Absolute; every file the tools touch lives below it. */
  workspaceDir: string;
  /** Bytes per chunk: each chunk is written, then reported, before the next. */
  chunkBytes: number;
  /** A pause after each chunk, so a person can watch a small file stream. 0 in normal use. */
  chunkDelayMs: number;
  /** Files larger than this are neither written nor read. */
  maxFileBytes: number;
}

export const DEFAULT_CHUNK_BYTES = 4096;
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name}="${raw}" must be a whole number of at least ${min}.`);
  }
  return value;
}

export function readToolConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ToolConfig {
  return {
    workspaceDir: resolve(cwd, env.WORKSPACE_DIR?.trim() || 'workspace'),
    chunkBytes: intFrom(env, 'WRITE_CHUNK_BYTES', DEFAULT_CHUNK_BYTES, 16),
    chunkDelayMs: intFrom(env, 'WRITE_CHUNK_DELAY_MS', 0, 0),
    maxFileBytes: intFrom(env, 'MAX_FILE_BYTES', DEFAULT_MAX_FILE_BYTES, 1),
  };
}
