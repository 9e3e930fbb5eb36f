import { homedir } from 'node:os';
import { sep } from 'node:path';

// Variable references in the `mcpServers` file, as Claude Code (`${VAR}`, `${VAR:-default}`) and
// Cursor (`${env:VAR}`, `${userHome}`, `${pathSeparator}`, `${/}`) write them.
//
// - `${NAME}` and `${env:NAME}`: the variable's value (an empty value is a value). NAME is
//   letters, digits and `_`, not starting with a digit.
// - `${NAME:-default}`: the value, or `default` when the variable is unset or empty (as in a
//   shell). The default is literal text up to the first `}`; it cannot hold another `${`.
// - `${userHome}` (the home folder), `${pathSeparator}` and `${/}` (the path separator): Cursor's.
// - A `$` not followed by `{` is literal: `$`, `$$`, `$HOME`, `100$` stay as they are.
// - Any other `${` (unclosed, an invalid name, another operator such as `${VAR-x}`, Cursor's
//   `${workspaceFolder}`) is refused rather than guessed at. A literal `${` cannot be written.
// - One pass: text that comes from a variable is never expanded again.

export interface ExpandContext {
  /** Where variables come from: the Tollgate server's own environment. */
  env: Record<string, string | undefined>;
  /** What `${userHome}` gives; the user's home folder by default. */
  home?: string;
}

export type ExpandResult =
  | { ok: true; value: string }
  | {
      ok: false;
      /** Variables referenced without a default that are not set (names only, never values). */
      missing: string[];
      /** Why other references could not be read; never quotes the text, which may be a secret. */
      malformed: string[];
    };

const REFERENCE = /^(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

const CURSOR_ONLY = new Set(['workspaceFolder', 'workspaceFolderBasename']);

/** Expands every reference in `text`, or says which variables are missing and what is wrong. */
export function expandVariables(text: string, context: ExpandContext): ExpandResult {
  const missing: string[] = [];
  const malformed: string[] = [];
  let value = '';
  let from = 0;
  for (let at = text.indexOf('${'); at !== -1; at = text.indexOf('${', from)) {
    value += text.slice(from, at);
    const close = text.indexOf('}', at + 2);
    if (close === -1) {
      malformed.push(`a "\${" is never closed by "}"`);
      from = text.length;
      break;
    }
    const inner = text.slice(at + 2, close);
    from = close + 1;
    const expanded = expandReference(inner, context);
    if (typeof expanded === 'string') value += expanded;
    else if ('missing' in expanded) missing.push(expanded.missing);
    else malformed.push(expanded.malformed);
  }
  value += text.slice(from);
  if (missing.length > 0 || malformed.length > 0) {
    return { ok: false, missing: [...new Set(missing)], malformed: [...new Set(malformed)] };
  }
  return { ok: true, value };
}

function expandReference(
  inner: string,
  context: ExpandContext,
): string | { missing: string } | { malformed: string } {
  if (inner === 'userHome') return context.home ?? homedir();
  if (inner === 'pathSeparator' || inner === '/') return sep;
  if (CURSOR_ONLY.has(inner)) {
    return {
      malformed: `\${${inner}} is Cursor's open project, which Tollgate does not have: write the path`,
    };
  }
  const match = REFERENCE.exec(inner);
  if (!match) {
    return {
      malformed: `a "\${" that is not \${NAME}, \${NAME:-default} or \${env:NAME} (NAME: letters, digits, _)`,
    };
  }
  const [, name, fallback] = match as unknown as [string, string, string | undefined];
  if (fallback?.includes('${')) {
    return {
      malformed: `the default of \${${name}:-…} holds another "\${", which is not expanded`,
    };
  }
  const set = context.env[name];
  if (fallback !== undefined) return set ? set : fallback;
  return set ?? { missing: name };
}
