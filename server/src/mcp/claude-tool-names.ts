import { createHash } from 'node:crypto';

const MAX = 64;
const HASH_CHARS = 8;

export interface ToolOrigin {
  server: string;
  /** The tool's name on its MCP server. */
  tool: string;
  /** Built-in tools keep their own names; every other server's are prefixed with the server. */
  builtIn: boolean;
}

/**
 * Claude-facing names for `origins`, in the same order: `write_file` for a built-in tool,
 * `<server>__<tool>` for the others, with invalid characters replaced by `_`, shortened with a
 * stable hash of the origin when too long, and made unique. The same origins always get the same
 * names, so a name Claude used before a server restart still finds its tool afterwards.
 */
export function assignClaudeToolNames(origins: readonly ToolOrigin[]): string[] {
  const names = new Array<string>(origins.length);
  const taken = new Set<string>();
  // Built-in tools first, so a configured server can never take their plain names.
  const order = origins
    .map((origin, i) => ({ origin, i }))
    .sort((a, b) => Number(b.origin.builtIn) - Number(a.origin.builtIn) || a.i - b.i);
  for (const { origin, i } of order) {
    const wanted = origin.builtIn ? origin.tool : `${origin.server}__${origin.tool}`;
    const name = uniqueName(sanitise(wanted, origin), origin, taken);
    taken.add(name);
    names[i] = name;
  }
  return names;
}

function sanitise(wanted: string, origin: ToolOrigin): string {
  const clean = wanted.replace(/[^a-zA-Z0-9_-]/g, '_') || '_';
  return clean.length <= MAX ? clean : withSuffix(clean, hashOf(origin));
}

function uniqueName(candidate: string, origin: ToolOrigin, taken: Set<string>): string {
  if (!taken.has(candidate)) return candidate;
  const hashed = withSuffix(candidate, hashOf(origin));
  if (!taken.has(hashed)) return hashed;
  // Only two origins with the same server and tool names could get here (a server listing a
  // tool twice); a counter keeps them apart.
  for (let n = 2; ; n += 1) {
    const counted = withSuffix(hashed, String(n));
    if (!taken.has(counted)) return counted;
  }
}

function withSuffix(name: string, suffix: string): string {
  return `${name.slice(0, MAX - suffix.length - 1)}_${suffix}`;
}

function hashOf(origin: ToolOrigin): string {
  return createHash('sha256')
    .update(`${origin.server}\u0000${origin.tool}`)
    .digest('hex')
    .slice(0, HASH_CHARS);
}
