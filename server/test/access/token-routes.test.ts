import { describe, expect, it } from 'vitest';
import { connectClient } from '../server/ws-test-client.ts';
import { serverPerSuite } from './support/access-server.ts';
import { cookieOf, type HttpAnswer, httpRequest } from './support/http-request.ts';

const TOKEN = 'a-long-random-token-for-the-test';
// 127.0.0.2 stands for a TLS-terminating proxy; the test's own requests come from 127.0.0.1.
const server = serverPerSuite({ APP_TOKEN: TOKEN, TRUSTED_PROXIES: '127.0.0.2' });
const get = (path: string, headers: Record<string, string> = {}) =>
  httpRequest(`${server().url}${path}`, { headers });

/** A browser's cookie, as the token link gives it. */
async function signIn(): Promise<string> {
  return cookieOf(await get(`/?token=${TOKEN}`));
}

function expectAccessPage(answer: HttpAnswer, path: string) {
  expect(answer.status, path).toBe(401);
  expect(answer.headers['content-type'], path).toBe('text/html; charset=utf-8');
  expect(answer.headers['cache-control'], path).toBe('no-store');
  expect(answer.headers['set-cookie'], path).toBeUndefined();
  expect(answer.body, path).toContain('Tollgate needs an access token');
  expect(answer.body, path).not.toMatch(/_next|<script/);
}

/** Every same-origin URL the page loads: its scripts, styles and icons. */
function pageAssets(html: string): string[] {
  const urls = [...html.matchAll(/(?:src|href)="(\/[^"/][^"]*)"/g)].map((m) =>
    m[1]!.replaceAll('&amp;', '&'),
  );
  return [...new Set(urls)];
}

describe('with APP_TOKEN, over HTTP', () => {
  it('refuses every path of the page without the cookie, with the 401 page', async () => {
    const cookie = await signIn();
    const page = await get('/', { cookie });
    expect(page.status).toBe(200);
    const assets = pageAssets(page.body);
    // The built page loads its scripts from /_next/ (npm run build -w web builds it).
    expect(assets.filter((url) => url.startsWith('/_next/')).length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect((await get(asset, { cookie })).status, asset).toBe(200);
      expectAccessPage(await get(asset), asset);
    }
    for (const path of ['/', '/inspect', '/a/made-up/path?x=1', '/signout', '/ws']) {
      expectAccessPage(await get(path), path);
    }
  });

  it('trades ?token= for a cookie and a redirect to the same URL without it', async () => {
    const answer = await get(`/?token=${TOKEN}`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    const [setCookie, ...more] = answer.headers['set-cookie'] ?? [];
    expect(more).toEqual([]);
    expect(setCookie).toMatch(
      /^tollgate_access=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=2592000$/,
    );
    expect(setCookie).not.toContain(TOKEN);
    const deep = await get(`/inspect?tab=log&token=${TOKEN}&b=2`);
    expect([deep.status, deep.headers.location]).toEqual([303, '/inspect?tab=log&b=2']);
    // A reload of the plain address works with the cookie alone.
    const reload = await get('/', { cookie: cookieOf(answer) });
    expect(reload.status).toBe(200);
    expect(reload.body).not.toContain('Tollgate needs an access token');
  });

  it('marks the cookie Secure behind a trusted proxy that says the browser came over HTTPS', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const viaProxy = await httpRequest(`${server().url}/?token=${TOKEN}`, {
      headers: https,
      localAddress: '127.0.0.2',
    });
    expect(viaProxy.headers['set-cookie']?.[0]).toMatch(/; Secure$/);
    const direct = await get(`/?token=${TOKEN}`, https);
    expect(direct.headers['set-cookie']?.[0]).not.toContain('Secure');
  });

  it('answers a wrong token or cookie with the 401 page', async () => {
    const wrong = await get('/?token=not-the-token');
    expectAccessPage(wrong, 'a wrong token');
    expect(wrong.body).toContain('The token in that link is not this Tollgate’s.');
    expectAccessPage(await get('/', { cookie: `tollgate_access=${TOKEN}` }), 'a forged cookie');
    expectAccessPage(await get('/', { cookie: 'tollgate_access=' }), 'an empty cookie');
  });

  it('answers /healthz to anyone, with nothing but ok, Claude’s status and the database’s', async () => {
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true, claude: 'unconfigured', database: 'ok' });
  });

  it('signs out: GET offers a button, POST clears the cookie; another site’s form cannot', async () => {
    const cookie = await signIn();
    const offer = await get('/signout', { cookie });
    expect(offer.status).toBe(200);
    expect(offer.body).toContain('<form method="post" action="/signout">');
    expect(offer.headers['set-cookie']).toBeUndefined();

    // A form on another site is posted without the SameSite=Strict cookie: refused, nothing cleared.
    const forged = await httpRequest(`${server().url}/signout`, { method: 'POST' });
    expectAccessPage(forged, 'a cookieless POST /signout');

    const out = await httpRequest(`${server().url}/signout`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(out.status).toBe(200);
    expect(out.headers['cache-control']).toBe('no-store');
    expect(out.headers['set-cookie']).toEqual([
      'tollgate_access=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    ]);
    expect(out.body).toContain('Signed out of Tollgate');
  });
});

describe('with APP_TOKEN, the WebSocket', () => {
  it('is refused without the token, with a coded error and 4401', async () => {
    const attempts: Record<string, string>[] = [{}, { cookie: `tollgate_access=${TOKEN}` }];
    for (const headers of attempts) {
      const denied = await connectClient(server().wsUrl, headers);
      expect(await denied.waitForMessage('error')).toMatchObject({ code: 'unauthorized' });
      expect(await denied.waitFor(() => denied.closed() ?? undefined, 'the close')).toEqual({
        code: 4401,
        reason: 'token required',
      });
    }
  });

  it('opens with the cookie, and with ?token= for scripts and older pages', async () => {
    const cookie = await signIn();
    const withCookie = await connectClient(server().wsUrl, { cookie });
    expect(await withCookie.waitForMessage('hello')).toMatchObject({ person: null });
    withCookie.close();
    const withQuery = await connectClient(`${server().wsUrl}?token=${TOKEN}`);
    await withQuery.waitForMessage('hello');
    withQuery.close();
  });
});
