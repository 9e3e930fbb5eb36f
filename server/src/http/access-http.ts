import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessGate } from './access-gate.ts';
import {
  ACCESS_PAGE_POLICY,
  accessNeededPage,
  signedOutPage,
  signOutPage,
} from './access-pages.ts';

/** Headers of every answer the gate gives itself: never cached, never framed, no referrer. */
const GATE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

function sendPage(
  response: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...GATE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': ACCESS_PAGE_POLICY,
    ...headers,
  });
  response.end(html);
}

/**
 * The gate in front of every HTTP route but /healthz. `admit` lets a request through to the page
 * (true) or answers it itself (false):
 *
 * - any URL with `?token=`: the right token sets the access cookie and redirects (303) to the same
 *   URL without it, so the token leaves the address bar and the history; a wrong one gets the 401
 *   page. (Without APP_TOKEN the parameter means nothing and passes through.)
 * - no access (access-gate.ts): the 401 page, whatever the path, so no script, style or icon of
 *   the chat is served either.
 * - /signout: GET shows a button, POST clears the cookie. It sits behind the gate, so a form on
 *   another site cannot sign anyone out: the SameSite=Strict cookie is not sent with it.
 */
export function createHttpAccess(gate: AccessGate) {
  return function admit(request: IncomingMessage, response: ServerResponse): boolean {
    const url = new URL(request.url ?? '/', 'http://x');
    if (gate.tokenRequired && url.searchParams.has('token')) {
      if (!gate.tokenMatches(url.searchParams.get('token'))) {
        sendPage(response, 401, accessNeededPage('wrong_token'));
        return false;
      }
      url.searchParams.delete('token');
      // One leading slash: `//elsewhere.example/` would send the browser to another site.
      const location = `${url.pathname.replace(/^\/+/, '/')}${url.search}`;
      response.writeHead(303, { ...GATE_HEADERS, location, 'set-cookie': gate.grant(request) });
      response.end();
      return false;
    }
    const verdict = gate.judge(request);
    if (!verdict.allowed) {
      sendPage(response, 401, accessNeededPage(verdict.why));
      return false;
    }
    if (url.pathname === '/signout') {
      if (request.method === 'POST') {
        sendPage(response, 200, signedOutPage(verdict.person), {
          'set-cookie': gate.revoke(request),
        });
      } else {
        sendPage(response, 200, signOutPage());
      }
      return false;
    }
    return true;
  };
}

export type HttpAccess = ReturnType<typeof createHttpAccess>;
