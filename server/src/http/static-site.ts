import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

interface SiteFile {
  body: Buffer;
  type: string;
  /** Content-addressed build output: it never changes under the same name. */
  immutable: boolean;
}

/** The contents of the inline `<script>` elements of a page (those without `src`). */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes]) => !/\bsrc\s*=/i.test(attributes ?? ''))
    .map(([, , body]) => body ?? '')
    .filter((body) => body.length > 0);
}

const hashOf = (script: string) =>
  `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;

/**
 * The page's policy: scripts only from this origin, and the inline scripts the build wrote into
 * its pages, each allowed by its hash (none can be injected); no framing, no plugins, no base
 * rewriting; connections only back to this origin (the WebSocket). Styles may be inline: React
 * sets style attributes (the list drawn in view is positioned that way).
 */
export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${scriptHashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** The headers every answer of the site carries. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : [];
  });
}

/** `index.html` → `/`, `inspect.html` → `/inspect`, anything else by its own path. */
function urlPathOf(file: string): string {
  const path = `/${file.split(sep).join('/')}`;
  if (path === '/index.html') return '/';
  return path.endsWith('.html') ? path.slice(0, -'.html'.length) : path;
}

/**
 * The chat page and the inspector as the static export of the web app (`web/out`), served from
 * memory by the server's own HTTP server: no framework server runs in production. Read once at
 * start; every inline script of every page is hashed into the Content-Security-Policy. Null when
 * the page has not been built.
 */
export function openStaticSite(dir: string) {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const files = new Map<string, SiteFile>();
  const hashes = new Set<string>();
  for (const path of walk(dir)) {
    const name = relative(dir, path);
    const body = readFileSync(path);
    const type = TYPES[extname(name)] ?? 'application/octet-stream';
    if (type.startsWith('text/html')) {
      for (const script of inlineScripts(body.toString('utf8'))) hashes.add(hashOf(script));
    }
    files.set(urlPathOf(name), { body, type, immutable: name.startsWith(`_next${sep}static`) });
  }
  const csp = contentSecurityPolicy([...hashes].sort());
  const headers = securityHeaders(csp);
  const notFound = files.get('/404');

  function send(
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    file: SiteFile,
    cache: string,
  ) {
    response.writeHead(status, {
      ...headers,
      'content-type': file.type,
      'content-length': file.body.length,
      'cache-control': cache,
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  return {
    csp,
    /** Answers a request for the site; a path it does not have gets its 404 page. */
    handle(request: IncomingMessage, response: ServerResponse): void {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
        return;
      }
      let path: string;
      try {
        path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      } catch {
        path = '';
      }
      const file = files.get(path) ?? files.get(path.replace(/\/$/, ''));
      if (file) {
        send(
          request,
          response,
          200,
          file,
          file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      } else if (notFound) {
        send(request, response, 404, notFound, 'no-cache');
      } else {
        response.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('Not found');
      }
    },
  };
}

export type StaticSite = NonNullable<ReturnType<typeof openStaticSite>>;
