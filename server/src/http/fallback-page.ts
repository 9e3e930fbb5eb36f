import type { ClaudeStatus } from '@tollgate/machines';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page served when the chat app has not been built: says so, and what Claude still needs,
 * instead of an empty response.
 */
export function fallbackPage(claude: ClaudeStatus): string {
  const claudeLine =
    claude.status === 'ready'
      ? `Claude: ${escapeHtml(claude.provider ?? '')} ${escapeHtml(claude.model ?? '')}, ready.`
      : `Claude is not configured: ${escapeHtml(claude.message ?? '')}`;
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Tollgate</title>
<body style="font-family: system-ui; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Tollgate</h1>
<p>The chat page has not been built. Run <code>npm run build</code>, then <code>npm start</code>.</p>
<p>${claudeLine}</p>
<p>The WebSocket is at <code>/ws</code>.</p>
</body></html>`;
}
