import { readFile } from 'node:fs/promises';
import { z } from 'zod';

// The `mcpServers` file Claude Desktop uses, so a person can reuse the one they have:
// { "mcpServers": { "name": { "command", "args", "env", "cwd" } | { "url", "headers" } } }.

const stdioServerSchema = z
  .object({
    command: z.string().trim().min(1, 'command must not be empty'),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().min(1).optional(),
  })
  .strict();

const httpServerSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }),
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict();

// Server names end up in tool names (`<server>__<tool>`, sanitised) and in logs: keep them printable.
const serverNameSchema = z
  .string()
  .regex(/^\P{Cc}{1,64}$/u, 'a server name is 1 to 64 characters, none of them control characters');

const mcpConfigFileSchema = z.object({
  mcpServers: z.record(
    serverNameSchema,
    z.record(z.string(), z.unknown(), {
      error: 'expected an object: {"command", "args"?, "env"?, "cwd"?} or {"url", "headers"?}',
    }),
  ),
});

export interface StdioServerConfig {
  name: string;
  transport: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** The built-in file tools: their tools keep their own names for Claude. */
  builtIn?: boolean;
}

export interface HttpServerConfig {
  name: string;
  transport: 'http';
  url: string;
  headers: Record<string, string>;
  builtIn?: boolean;
}

export type McpServerConfig = StdioServerConfig | HttpServerConfig;

export class McpConfigError extends Error {
  override name = 'McpConfigError';
}

/** Reads and validates an `mcpServers` file; every problem names the file and the key. */
export async function readMcpConfig(path: string): Promise<McpServerConfig[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : error;
    throw new McpConfigError(`Cannot read the MCP config ${path}: ${String(reason)}`);
  }
  return parseMcpConfig(text, path);
}

/** `MCP_CONFIG` names the file; without it there are no extra servers. */
export async function readMcpConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): Promise<McpServerConfig[]> {
  const path = env.MCP_CONFIG?.trim();
  return path ? readMcpConfig(path) : [];
}

export function parseMcpConfig(text: string, source: string): McpServerConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new McpConfigError(
      `The MCP config ${source} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const file = mcpConfigFileSchema.safeParse(json);
  if (!file.success) throw configError(source, [], file.error);
  return Object.entries(file.data.mcpServers).map(([name, entry]): McpServerConfig => {
    const where = ['mcpServers', name];
    // Pick the shape by its telling key, so the error speaks about the fields the person meant.
    if ('url' in entry && !('command' in entry)) {
      const http = httpServerSchema.safeParse(entry);
      if (!http.success) throw configError(source, where, http.error);
      return { name, transport: 'http', url: http.data.url, headers: http.data.headers };
    }
    const stdio = stdioServerSchema.safeParse(entry);
    if (!stdio.success) throw configError(source, where, stdio.error);
    return {
      name,
      transport: 'stdio',
      command: stdio.data.command,
      args: stdio.data.args,
      env: stdio.data.env,
      ...(stdio.data.cwd !== undefined ? { cwd: stdio.data.cwd } : {}),
    };
  });
}

function configError(source: string, prefix: string[], error: z.ZodError): McpConfigError {
  const issue = error.issues[0];
  const keys =
    issue?.code === 'unrecognized_keys' ? [...issue.path, issue.keys.join(', ')] : issue?.path;
  const path = [...prefix, ...(keys ?? []).map(String)];
  const where = path.length > 0 ? path.join('.') : '(top level)';
  return new McpConfigError(
    `The MCP config ${source} is invalid at ${where}: ${issue?.message ?? 'unknown problem'}`,
  );
}
