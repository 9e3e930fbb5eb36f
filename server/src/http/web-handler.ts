import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.ts';
import type { RequestHandler } from '../tollgate-server.ts';

export const WEB_DIR = fileURLToPath(new URL('../../../web', import.meta.url));

/**
 * The built Next.js app as a request handler for the server's own HTTP server, so the page and
 * the WebSocket share one port. Null when the app has not been built (`npm run build`).
 */
export async function createWebHandler({
  logger,
}: {
  logger: Logger;
}): Promise<RequestHandler | null> {
  if (!existsSync(`${WEB_DIR}/.next/BUILD_ID`)) {
    logger.warn({ dir: WEB_DIR }, 'the chat page is not built: run npm run build');
    return null;
  }
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: WEB_DIR, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  return (request, response) => {
    void handle(request, response).catch((error: unknown) => {
      logger.error({ err: error, url: request.url }, 'page request failed');
      if (!response.headersSent) response.writeHead(500).end('Internal error');
    });
  };
}
