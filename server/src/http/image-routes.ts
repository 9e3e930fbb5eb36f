import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ImageAttachment, judgeImage, MAX_IMAGE_BYTES } from '@tollgate/machines';
import { originAllowed } from '../gateway/origin-check.ts';
import type { ImageStore } from '../images/image-store.ts';
import type { Logger } from '../logger.ts';
import { readBody, sendJson } from './http-body.ts';

const UPLOAD = '/api/images';
const IMAGE = /^\/api\/images\/([0-9a-f]{64})$/;
/** What an upload may say it is: an image type, or nothing in particular. */
const DECLARED = /^(image\/[\w.+-]+|application\/octet-stream)\s*(;|$)/i;

export interface ImageRoutesDeps {
  images: ImageStore;
  allowedOrigins: string[];
  logger: Logger;
}

/**
 * Images over HTTP, behind the access gate like every route (docs/protocol.md#images):
 *
 * - `POST /api/images`: the image's bytes as the body. Judged by what they are (`judgeImage`: the
 *   header's type and size, whatever the request says), stored once by sha256, and answered
 *   `201 {image}` with the attachment a `user.message` names; else 400, 413 or 415 `{error}`.
 * - `GET /api/images/<sha256>`: the image, with its type, `nosniff`, cached for good (a hash
 *   names one content forever).
 *
 * The POST must come from the app's own origin (or ALLOWED_ORIGINS), as an import must.
 */
export function createImageRoutes(deps: ImageRoutesDeps) {
  async function upload(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!originAllowed(request.headers.origin, request.headers.host, deps.allowedOrigins)) {
      sendJson(response, 403, {
        error: 'This page may not upload here (its origin is not allowed).',
      });
      return;
    }
    if (!DECLARED.test(request.headers['content-type'] ?? '')) {
      sendJson(response, 415, { error: 'An image is sent as its bytes, with an image type.' });
      return;
    }
    const body = await readBody(request, MAX_IMAGE_BYTES);
    if (body === null) {
      response.setHeader('connection', 'close');
      sendJson(response, 413, {
        error: `Claude takes images of at most ${(MAX_IMAGE_BYTES / 1024 / 1024).toFixed(2)} MB.`,
      });
      return;
    }
    const verdict = judgeImage(body);
    if (!verdict.ok) {
      sendJson(response, /not a PNG/.test(verdict.reason) ? 415 : 400, { error: verdict.reason });
      return;
    }
    const sha256 = createHash('sha256').update(body).digest('hex');
    const { mediaType, width, height } = verdict.header;
    await deps.images.put({ sha256, mediaType, bytes: body });
    const image: ImageAttachment = { sha256, mediaType, bytes: body.length, width, height };
    deps.logger.info({ sha256, mediaType, bytes: body.length }, 'image stored');
    sendJson(response, 201, { image });
  }

  async function serve(response: ServerResponse, sha256: string, head: boolean, etag?: string) {
    if (etag === `"${sha256}"`) {
      response.writeHead(304, { etag: `"${sha256}"` });
      response.end();
      return;
    }
    const image = await deps.images.get(sha256);
    if (!image) {
      sendJson(response, 404, { error: 'There is no such image.' });
      return;
    }
    response.writeHead(200, {
      'content-type': image.mediaType,
      'content-length': image.bytes.length,
      'x-content-type-options': 'nosniff',
      // The hash names this content for good; private: it is behind the access gate.
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${sha256}"`,
      'content-security-policy': "default-src 'none'",
    });
    response.end(head ? undefined : image.bytes);
  }

  /** Answers the request if it is one of these routes (true); false leaves it to the page. */
  return function handle(request: IncomingMessage, response: ServerResponse): boolean {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const named = IMAGE.exec(path);
    let work: Promise<void> | null = null;
    if (path === UPLOAD && request.method === 'POST') work = upload(request, response);
    else if (named && (request.method === 'GET' || request.method === 'HEAD')) {
      work = serve(
        response,
        named[1]!,
        request.method === 'HEAD',
        request.headers['if-none-match'],
      );
    } else if (path === UPLOAD || named) {
      response.writeHead(405, { allow: named ? 'GET, HEAD' : 'POST' });
      response.end();
      return true;
    } else return false;
    work.catch((error: unknown) => {
      deps.logger.error({ err: error, path }, 'an image request failed');
      if (!response.headersSent)
        sendJson(response, 500, { error: 'Something went wrong on the server.' });
      else response.destroy();
    });
    return true;
  };
}
