/**
 * A glob as POLICY_FILE writes it, as a whole-string matcher: `*` is any run of characters (none
 * included), `?` is one character, anything else is itself (case counts, as in MCP names).
 */
export function globPattern(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}
