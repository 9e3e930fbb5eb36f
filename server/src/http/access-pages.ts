import { createHash } from 'node:crypto';
import type { Person } from './access-person.ts';

// The few pages Tollgate shows around access. No script at all; the one style block is allowed by
// its hash, so these pages carry a policy that forbids everything else.

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}code{font-size:.95em}button{font:inherit;padding:.4rem 1rem}';

/** The Content-Security-Policy of these pages: nothing loads, nothing frames them. */
export const ACCESS_PAGE_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title><style>${STYLE}</style>
<body><h1>${title}</h1>
${body}
</body></html>`;
}

/** Why the chat is not shown (401): no token, a wrong one, or no person from the proxy. */
export function accessNeededPage(why: 'token' | 'wrong_token' | 'person'): string {
  if (why === 'person') {
    return page(
      'Tollgate: who are you?',
      `<p>The sign-in service in front of this Tollgate did not say who you are, so it cannot show you your conversations.</p>
<p>Sign in through it again, or ask whoever runs this Tollgate.</p>`,
    );
  }
  return page(
    'Tollgate needs an access token',
    `${why === 'wrong_token' ? '<p><strong>The token in that link is not this Tollgate’s.</strong></p>\n' : ''}<p>Open the link you were given, the one that ends in <code>?token=…</code>, once: this browser then keeps a cookie, and the plain address works from then on.</p>
<p>If you run this Tollgate, the token is its <code>APP_TOKEN</code> setting: open <code>http://&lt;host&gt;:&lt;port&gt;/?token=&lt;APP_TOKEN&gt;</code>.</p>`,
  );
}

/** GET /signout: a button, since signing out is a POST (no link or image on another page can). */
export function signOutPage(): string {
  return page(
    'Sign out of Tollgate',
    `<p>This browser will forget its access to this Tollgate; to come back, open the link with the token again.</p>
<form method="post" action="/signout"><button type="submit">Sign out</button></form>`,
  );
}

/** After POST /signout. A person the proxy named is signed in there, not here: it says so. */
export function signedOutPage(person: Person | null): string {
  if (person) {
    return page(
      'Signed out of Tollgate',
      `<p>Tollgate keeps no sign-in of its own for you: the sign-in service in front of it vouches that you are <strong>${escapeHtml(person.name)}</strong>. Sign out there to sign out everywhere.</p>`,
    );
  }
  return page(
    'Signed out of Tollgate',
    `<p>This browser no longer holds access to this Tollgate. To come back, open the link that ends in <code>?token=…</code> again.</p>
<p>Chat tabs still open keep their connection until they are reloaded or closed.</p>`,
  );
}
