import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type ExpandContext, expandVariables } from './mcp-config-expand.ts';

// The `mcpServers` file Claude Desktop, Claude Code and Cursor write, so a person can reuse the
// one they have (docs/mcp.md, "Configuring more servers"):
//   { "mcpServers": { "name": { "type"?: "stdio", "command", "args"?, "env"?, "cwd"? }
//                           | { "type"?: "http" | "sse", "url", "headers"? } } }
// with `${VAR}` and `${VAR:-default}` in the values (mcp-config-expand.ts).

/** `type` as the tools write it, and the transport each means. */
const TYPES = {
  stdio: 'stdio',
  http: 'streamable-http',
  'streamable-http': 'streamable-http',
  streamableHttp: 'streamable-http', // Cline's spelling
  sse: 'sse',
} as const;
type Kind = (typeof TYPES)[keyof typeof TYPES];

const STDIO_FIELDS = new Set(['command', 'args', 'env', 'cwd']);
const REMOTE_FIELDS = new Set(['url', 'headers']);

/** Other tools' settings that mean nothing here: accepted, ignored, and mentioned in a note. */
const IGNORED_FIELDS = new Set([
  'autoApprove', // Cline: Tollgate asks the person before every call
  'alwaysAllow', // Roo Code: likewise
  'disabledTools', // Roo Code
  'timeout', // Cline, Roo Code: Tollgate has its own timeouts
  'description',
  'watchPaths', // Roo Code: restart on file changes
]);

/** Settings that would change how the server is reached: ignoring them would start it wrong. */
const REFUSED_FIELDS: Record<string, string> = {
  envFile: `envFile (Cursor) is not supported: put the variables in env, as "\${NAME}" taken from Tollgate's own environment or .env`,
  headersHelper: `headersHelper (Claude Code) is not supported: put the headers in headers, with "\${NAME}" for secrets`,
  oauth: 'Tollgate cannot sign in to a server with OAuth: give a token in headers instead',
};

const stringMap = z.record(z.string(), z.string());
// `type` is read before the schemas, which see the entry without it.
const shared = {
  disabled: z.boolean({ error: 'disabled must be true or false' }).optional(),
};

const stdioServerSchema = z
  .object({
    ...shared,
    command: z.string().trim().min(1, 'command must not be empty'),
    args: z.array(z.string()).default([]),
    env: stringMap.default({}),
    cwd: z.string().min(1, 'cwd must not be empty').optional(),
  })
  .strict();

const remoteServerSchema = z
  .object({ ...shared, url: z.string(), headers: stringMap.default({}) })
  .strict();

const urlSchema = z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' });

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
  /** Streamable HTTP (the default), or the older HTTP+SSE transport (`"type": "sse"`). */
  protocol?: 'streamable-http' | 'sse';
  url: string;
  /** Sent with every request (and, over SSE, on the event stream). */
  headers: Record<string, string>;
  builtIn?: boolean;
}

export type McpServerConfig = StdioServerConfig | HttpServerConfig;

export class McpConfigError extends Error {
  override name = 'McpConfigError';
  constructor(
    message: string,
    /** Each problem, `at <key>: <what is wrong>`; empty when the file could not be read. */
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export interface McpConfigOptions {
  /** Where `${VAR}` values come from: the server's own environment unless given. */
  env?: Record<string, string | undefined>;
  /** What `${userHome}` gives; the user's home folder unless given. */
  home?: string;
  /** Hears what was accepted but not acted on: other tools' settings, disabled servers. */
  onNote?: (note: string) => void;
}

/** Reads and validates an `mcpServers` file; every problem names the file and the key. */
export async function readMcpConfig(
  path: string,
  options: McpConfigOptions = {},
): Promise<McpServerConfig[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : error;
    throw new McpConfigError(`Cannot read the MCP config ${path}: ${String(reason)}`);
  }
  return parseMcpConfig(text, path, options);
}

/** `MCP_CONFIG` names the file; without it there are no extra servers. */
export async function readMcpConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: McpConfigOptions = {},
): Promise<McpServerConfig[]> {
  const path = env.MCP_CONFIG?.trim();
  return path ? readMcpConfig(path, { env, ...options }) : [];
}

interface Problem {
  path: string[];
  message: string;
}

/**
 * Validates the file and expands its variables. Servers with `"disabled": true` are left out.
 * Every problem of every server is listed in one McpConfigError.
 */
export function parseMcpConfig(
  text: string,
  source: string,
  options: McpConfigOptions = {},
): McpServerConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new McpConfigError(
      `The MCP config ${source} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const file = mcpConfigFileSchema.safeParse(json);
  if (!file.success) throw configError(source, zodProblems([], file.error));
  const context: ExpandContext = {
    env: options.env ?? process.env,
    ...(options.home !== undefined ? { home: options.home } : {}),
  };
  const problems: Problem[] = [];
  const servers: McpServerConfig[] = [];
  for (const [name, entry] of Object.entries(file.data.mcpServers)) {
    const read = readServer(name, entry, context);
    problems.push(...read.problems);
    if (read.config) servers.push(read.config);
    for (const note of read.notes) options.onNote?.(`The MCP config ${source}: ${note}`);
  }
  if (problems.length > 0) throw configError(source, problems);
  return servers;
}

function readServer(
  name: string,
  entry: Record<string, unknown>,
  context: ExpandContext,
): { config?: McpServerConfig; problems: Problem[]; notes: string[] } {
  const where = ['mcpServers', name];
  const problems: Problem[] = [];
  const at = (key: string | string[], message: string) =>
    problems.push({ path: [...where, ...[key].flat()], message });

  // The transport: `type` when given, else told by the fields (a lone `url` is remote).
  const type = entry.type;
  let kind: Kind = 'url' in entry && !('command' in entry) ? 'streamable-http' : 'stdio';
  let typed = false;
  if (type !== undefined) {
    if (typeof type === 'string' && Object.hasOwn(TYPES, type)) {
      kind = TYPES[type as keyof typeof TYPES];
      typed = true;
    } else {
      const shown = typeof type === 'string' ? `"${type.slice(0, 40)}"` : `a ${typeof type}`;
      at('type', `unknown type ${shown}: expected "stdio", "http" (or "streamable-http") or "sse"`);
    }
  }
  const remote = kind !== 'stdio';
  const described = describeKind(kind, typed ? String(type) : null, 'command' in entry);

  // Fields of the other transport, and other tools' fields, before the strict schema sees them.
  const fields: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'type') continue;
    if (IGNORED_FIELDS.has(key)) ignored.push(key);
    else if (Object.hasOwn(REFUSED_FIELDS, key)) at(key, REFUSED_FIELDS[key]!);
    else if (remote && STDIO_FIELDS.has(key)) {
      at(key, `${key} is for stdio servers, and this one is ${described}`);
    } else if (!remote && REMOTE_FIELDS.has(key)) {
      at(key, `${key} is for http and sse servers, and this one is ${described}`);
    } else fields[key] = value;
  }

  const schema = remote ? remoteServerSchema : stdioServerSchema;
  const parsed = schema.safeParse(fields);
  if (!parsed.success) problems.push(...zodProblems(where, parsed.error));
  if (!parsed.success || problems.length > 0) return { problems, notes: [] };
  // A disabled server is checked for shape but not started, and its variables are not needed.
  if (parsed.data.disabled === true) {
    return { problems, notes: [`mcpServers.${name} is disabled: not started`] };
  }
  const notes =
    ignored.length > 0
      ? [
          `mcpServers.${name}: ${ignored.join(', ')} ignored (other tools' settings; Tollgate asks before every call and has its own timeouts)`,
        ]
      : [];

  const expand = (value: string, path: string[]): string => {
    const result = expandVariables(value, context);
    if (result.ok) return result.value;
    for (const variable of result.missing) {
      at(path, `needs the environment variable ${variable}, which is not set and has no default`);
    }
    for (const reason of result.malformed) at(path, reason);
    return '';
  };
  const expandMap = (map: Record<string, string>, key: string) =>
    Object.fromEntries(Object.entries(map).map(([k, v]) => [k, expand(v, [key, k])]));

  if ('url' in parsed.data) {
    const url = expand(parsed.data.url, ['url']);
    const headers = expandMap(parsed.data.headers, 'headers');
    if (problems.length === 0) {
      const checked = urlSchema.safeParse(url);
      if (!checked.success) at('url', checked.error.issues[0]?.message ?? 'invalid url');
      for (const [key, value] of Object.entries(headers)) {
        const problem = headerProblem(key, value);
        if (problem) at(['headers', key], problem);
      }
    }
    const protocol = kind === 'sse' ? 'sse' : 'streamable-http';
    return {
      ...(problems.length === 0
        ? { config: { name, transport: 'http', protocol, url, headers } }
        : {}),
      problems,
      notes,
    };
  }
  const data = parsed.data as z.infer<typeof stdioServerSchema>;
  const command = expand(data.command, ['command']).trim();
  const args = data.args.map((arg, index) => expand(arg, ['args', String(index)]));
  const env = expandMap(data.env, 'env');
  const cwd = data.cwd !== undefined ? expand(data.cwd, ['cwd']) : undefined;
  if (problems.length === 0 && command === '') at('command', 'command is empty once expanded');
  if (problems.length === 0 && cwd === '') at('cwd', 'cwd is empty once expanded');
  if (problems.length > 0) return { problems, notes };
  const config: StdioServerConfig = {
    name,
    transport: 'stdio',
    command,
    args,
    env,
    ...(cwd !== undefined ? { cwd } : {}),
  };
  return { config, problems, notes };
}

/** What the server was taken for, and why: its `type`, or the fields that told. */
function describeKind(kind: Kind, type: string | null, hasCommand: boolean): string {
  const what = { stdio: 'a stdio', 'streamable-http': 'an http', sse: 'an sse' }[kind];
  if (type !== null) return `${what} server ("type": "${type}")`;
  if (kind !== 'stdio') return `${what} server (it has a url and no command)`;
  return `${what} server (it has ${hasCommand ? 'a command' : 'no url'} and no "type")`;
}

/** Why fetch would refuse this header, without quoting its value (it may be a secret). */
function headerProblem(key: string, value: string): string | null {
  try {
    new Headers([[key, 'x']]);
  } catch {
    return 'not a valid HTTP header name';
  }
  try {
    new Headers([[key, value]]);
  } catch {
    return 'the value is not a valid HTTP header value (a line break or a control character?)';
  }
  return null;
}

function zodProblems(prefix: string[], error: z.ZodError): Problem[] {
  return error.issues.map((issue) => {
    const keys =
      issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys.join(', ')] : issue.path;
    return { path: [...prefix, ...keys.map(String)], message: issue.message };
  });
}

function configError(source: string, problems: Problem[]): McpConfigError {
  const listed = problems.map(({ path, message }) => {
    const where = path.length > 0 ? path.join('.') : '(top level)';
    return `at ${where}: ${message}`;
  });
  return new McpConfigError(`The MCP config ${source} is invalid ${listed.join('; ')}`, listed);
}
