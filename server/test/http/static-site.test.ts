import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inlineScripts, openStaticSite } from '../../src/http/static-site.ts';

const INLINE = 'self.__next_f=self.__next_f||[];self.__next_f.push([0])';
let dir: string;
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A built site of a few files, served by the site's handler on 127.0.0.1. */
async function serve() {
  dir = mkdtempSync(join(tmpdir(), 'tollgate-site-'));
  mkdirSync(join(dir, '_next/static/chunks'), { recursive: true });
  const page = (title: string) =>
    `<!doctype html><title>${title}</title><script src="/_next/static/chunks/app.js" async></script><script>${INLINE}</script>`;
  writeFileSync(join(dir, 'index.html'), page('chat'));
  writeFileSync(join(dir, 'inspect.html'), page('inspector'));
  writeFileSync(join(dir, '404.html'), '<!doctype html><title>Not found</title>');
  writeFileSync(join(dir, '_next/static/chunks/app.js'), 'console.log(1)');
  const site = openStaticSite(dir);
  if (!site) throw new Error('the site did not open');
  server = createServer((request, response) => site.handle(request, response));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { site, url: `http://127.0.0.1:${port}` };
}

describe('the static site', () => {
  it('serves each page by its route, with the policy that allows exactly its inline scripts', async () => {
    const { url } = await serve();
    const chat = await fetch(`${url}/`);
    expect(chat.status).toBe(200);
    expect(await chat.text()).toContain('<title>chat</title>');
    const hash = createHash('sha256').update(INLINE).digest('base64');
    const csp = chat.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(chat.headers.get('referrer-policy')).toBe('no-referrer');
    expect(chat.headers.get('x-content-type-options')).toBe('nosniff');
    expect(chat.headers.get('cache-control')).toBe('no-cache');

    expect(await (await fetch(`${url}/inspect`)).text()).toContain('<title>inspector</title>');
    const asset = await fetch(`${url}/_next/static/chunks/app.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('answers anything else with its 404 page, never a file outside it, and only GET and HEAD', async () => {
    const { url } = await serve();
    for (const path of [
      '/nope',
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
    ]) {
      const response = await fetch(`${url}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
    }
    expect(await (await fetch(`${url}/nope`)).text()).toContain('Not found');
    expect((await fetch(`${url}/`, { method: 'POST' })).status).toBe(405);
    const head = await fetch(`${url}/`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('finds inline scripts only, whatever their attributes', () => {
    expect(
      inlineScripts(
        '<script>a()</script><script src="x.js"></script><SCRIPT type="module">b()</SCRIPT><script async src=y.js></script>',
      ),
    ).toEqual(['a()', 'b()']);
  });
});
