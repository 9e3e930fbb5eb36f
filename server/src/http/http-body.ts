import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers a JSON body, never cached, never sniffed as anything else. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-type': 'application/json; charset=utf-8',
  });
  response.end(JSON.stringify(body));
}

/**
 * The request's body, whole, or null as soon as it is known to be larger than `limit` (by its
 * declared length, or by what arrived): the rest is left unread.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
