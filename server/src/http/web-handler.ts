import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.ts';
import type { RequestHandler } from '../tollgate-server.ts';
import { openStaticSite } from './static-site.ts';

export const WEB_DIR = fileURLToPath(new URL('../../../web', import.meta.url));

/** Where `npm run build -w web` writes the page's static export. */
export const WEB_OUT_DIR = join(WEB_DIR, 'out');

/**
 * The chat page and the inspector, built as a static export (`web/out`), as a request handler for
 * the server's own HTTP server, so the page and the WebSocket share one port. Null when the page
 * has not been built (`npm run build`).
 */
export function createWebHandler({ logger }: { logger: Logger }): RequestHandler | null {
  const site = openStaticSite(WEB_OUT_DIR);
  if (site === null) {
    logger.warn({ dir: WEB_OUT_DIR }, 'the chat page is not built: run npm run build');
    return null;
  }
  return (request, response) => site.handle(request, response);
}
