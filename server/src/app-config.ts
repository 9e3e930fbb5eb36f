import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ClaudeConfig, readClaudeConfig } from './claude/claude-config.ts';
import { readProxySettings } from './claude/proxy-settings.ts';
import { readApprovalTtl } from './conversations/approval-ttl.ts';
import { type AccessSettings, readAccessSettings } from './http/access-settings.ts';
import { type InspectMode, readInspectMode } from './inspect/inspect-mode.ts';

// Everything the server reads from its environment, in one place. A .env file in the working
// directory is loaded first (Node's own loader); real environment variables win over it.

/** With who may connect: APP_TOKEN, ALLOW_ANONYMOUS, TRUSTED_* (http/access-settings.ts). */
export interface AppConfig extends AccessSettings {
  host: string;
  port: number;
  dataDir: string;
  workspaceDir: string;
  /**
   * DATABASE_URL: a PostgreSQL database shared by every instance that names it
   * (docs/scaling.md); null: the SQLite file in dataDir, this process's alone.
   */
  databaseUrl: string | null;
  /** A Claude Desktop style `mcpServers` file with more MCP servers, or null. */
  mcpConfigFile: string | null;
  /** POLICY_FILE: rules that allow, deny or ask for tool calls (docs/policies.md), or null. */
  policyFile: string | null;
  /** Origins allowed to open the WebSocket; the app's own URL is always allowed. */
  allowedOrigins: string[];
  chunkBytes: number | null;
  chunkDelayMs: number | null;
  /** APPROVAL_TTL in ms: how long a tool call waits for a decision before it expires; null: for ever. */
  approvalTtlMs: number | null;
  /** INSPECT=1 or stately: every actor's events are traced (see docs/inspect.md); null: off. */
  inspect: InspectMode | null;
  logLevel: string;
  claude: ClaudeConfig;
}

export type AppConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

type Env = Record<string, string | undefined>;

export function loadDotEnv(cwd: string): void {
  const file = resolve(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

export function readAppConfig(env: Env, cwd: string): AppConfigResult {
  const problems: string[] = [];
  const int = (name: string, fallback: number | null, min: number): number | null => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      problems.push(`${name}="${raw}" must be a whole number of at least ${min}.`);
      return fallback;
    }
    return value;
  };
  const port = int('PORT', 3000, 0) ?? 3000;
  const claude = readClaudeConfig(env);
  if (claude.status === 'invalid') problems.push(...claude.problems);
  // HTTPS_PROXY, HTTP_PROXY, NO_PROXY: the Claude client reads them itself; checked here so a
  // value it cannot use stops the start instead of every turn.
  const proxy = readProxySettings(env);
  if (!proxy.ok) problems.push(...proxy.problems);
  const origins = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      problems.push(
        `ALLOWED_ORIGINS entry "${origin}" must look like https://chat.example.com (no path).`,
      );
    }
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  const access = readAccessSettings(env, host);
  problems.push(...access.problems);
  const inspect = readInspectMode(env.INSPECT);
  if (!inspect.ok) problems.push(inspect.problem);
  const approvalTtl = readApprovalTtl(env.APPROVAL_TTL);
  if (!approvalTtl.ok) problems.push(approvalTtl.problem);
  const mcpConfig = env.MCP_CONFIG?.trim();
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\/./.test(databaseUrl)) {
    problems.push(
      'DATABASE_URL must be a PostgreSQL URL such as postgres://tollgate@db.example.com/tollgate (or unset, for the SQLite file in DATA_DIR).',
    );
  }
  const config: AppConfig = {
    host,
    port,
    dataDir: resolve(cwd, env.DATA_DIR?.trim() || 'data'),
    workspaceDir: resolve(cwd, env.WORKSPACE_DIR?.trim() || 'workspace'),
    databaseUrl,
    mcpConfigFile: mcpConfig ? resolve(cwd, mcpConfig) : null,
    policyFile: env.POLICY_FILE?.trim() ? resolve(cwd, env.POLICY_FILE.trim()) : null,
    ...access.settings,
    allowedOrigins: origins,
    chunkBytes: int('WRITE_CHUNK_BYTES', null, 16),
    chunkDelayMs: int('WRITE_CHUNK_DELAY_MS', null, 0),
    approvalTtlMs: approvalTtl.ok ? approvalTtl.ms : null,
    inspect: inspect.ok ? inspect.mode : null,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    claude,
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}
