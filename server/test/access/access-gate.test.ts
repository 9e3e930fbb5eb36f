import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { cookieValues } from '../../src/http/access-cookie.ts';
import { createAccessGate } from '../../src/http/access-gate.ts';
import { sameSecret } from '../../src/http/access-token.ts';

/** Enough of a request for the gate: its socket's address, URL and headers. */
const request = (
  headers: Record<string, string | string[]> = {},
  { remoteAddress = '127.0.0.1', url = '/', encrypted = false } = {},
) => ({ headers, url, socket: { remoteAddress, encrypted } }) as unknown as IncomingMessage;

/** The cookie a browser sends back after `grant`. */
const cookieFrom = (setCookie: string) => setCookie.split(';')[0]!;

describe('the access gate', () => {
  const gate = createAccessGate({
    appToken: 'the-token',
    trustedProxies: ['10.0.0.0/8', 'fd00::1'],
    trustedUserHeader: 'remote-user',
  });

  it('lets in the single owner with the cookie it granted, and no one with another', () => {
    const cookie = cookieFrom(gate.grant(request()));
    expect(cookie).toMatch(/^tollgate_access=[\w-]{43}$/);
    expect(cookie).not.toContain('the-token');
    expect(gate.judge(request({ cookie }))).toEqual({ allowed: true, person: null });
    expect(gate.judge(request({ cookie: `theme=dark; ${cookie}; x=1` }))).toMatchObject({
      allowed: true,
    });
    expect(gate.judge(request({ cookie: 'tollgate_access=the-token' }))).toEqual({
      allowed: false,
      why: 'token',
    });
    expect(gate.judge(request())).toEqual({ allowed: false, why: 'token' });
    const other = createAccessGate({
      appToken: 'another',
      trustedProxies: [],
      trustedUserHeader: null,
    });
    expect(other.judge(request({ cookie }))).toMatchObject({ allowed: false });
  });

  it('takes ?token= only where the caller allows it (the WebSocket)', () => {
    const withQuery = request({}, { url: '/ws?token=the-token' });
    expect(gate.judge(withQuery)).toMatchObject({ allowed: false });
    expect(gate.judge(withQuery, { queryToken: true })).toEqual({ allowed: true, person: null });
    expect(gate.judge(request({}, { url: '/ws?token=nope' }), { queryToken: true })).toMatchObject({
      allowed: false,
      why: 'token',
    });
  });

  it('believes the person header from a trusted proxy only, and asks it no token', () => {
    expect(gate.judge(request({ 'remote-user': 'alice' }, { remoteAddress: '10.1.2.3' }))).toEqual({
      allowed: true,
      person: { name: 'alice' },
    });
    // A dual-stack socket reports IPv4 peers mapped into IPv6.
    expect(
      gate.judge(request({ 'remote-user': ' bob ' }, { remoteAddress: '::ffff:10.9.9.9' })),
    ).toEqual({ allowed: true, person: { name: 'bob' } });
    expect(gate.judge(request({ 'remote-user': 'carol' }, { remoteAddress: 'fd00::1' }))).toEqual({
      allowed: true,
      person: { name: 'carol' },
    });
    // From anywhere else the header is ignored: the token rules, and then it is the single owner.
    const forged = { 'remote-user': 'alice' };
    expect(gate.judge(request(forged, { remoteAddress: '192.168.0.9' }))).toEqual({
      allowed: false,
      why: 'token',
    });
    const cookie = cookieFrom(gate.grant(request()));
    expect(gate.judge(request({ ...forged, cookie }, { remoteAddress: '11.0.0.1' }))).toEqual({
      allowed: true,
      person: null,
    });
  });

  it('refuses a trusted proxy’s request that names nobody, even with the token', () => {
    const cookie = cookieFrom(gate.grant(request()));
    const nameless: Record<string, string>[] = [
      { cookie },
      { 'remote-user': '  ' },
      { 'remote-user': 'x'.repeat(257) },
    ];
    for (const headers of nameless) {
      expect(gate.judge(request(headers, { remoteAddress: '10.0.0.1' }))).toEqual({
        allowed: false,
        why: 'person',
      });
    }
  });

  it('reads a UTF-8 name as the proxy sent it', () => {
    const latin1 = Buffer.from('José Ñúñez', 'utf8').toString('latin1');
    expect(gate.judge(request({ 'remote-user': latin1 }, { remoteAddress: '10.0.0.1' }))).toEqual({
      allowed: true,
      person: { name: 'José Ñúñez' },
    });
  });

  it('marks the cookie Secure when the browser came over HTTPS, as a trusted proxy says', () => {
    const https = { 'x-forwarded-proto': 'https' };
    expect(gate.grant(request(https, { remoteAddress: '10.0.0.1' }))).toMatch(/; Secure$/);
    expect(gate.grant(request({}, { encrypted: true }))).toMatch(/; Secure$/);
    // Anyone else's word for it does not count.
    expect(gate.grant(request(https, { remoteAddress: '127.0.0.1' }))).not.toContain('Secure');
    expect(
      gate.grant(request({ 'x-forwarded-proto': 'http' }, { remoteAddress: '10.0.0.1' })),
    ).not.toContain('Secure');
    expect(gate.revoke(request(https, { remoteAddress: '10.0.0.1' }))).toBe(
      'tollgate_access=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
    );
  });

  it('lets everyone in as the single owner without a token, a trusted proxy’s people aside', () => {
    const open = createAccessGate({
      appToken: null,
      trustedProxies: ['127.0.0.1'],
      trustedUserHeader: 'remote-user',
    });
    expect(open.tokenRequired).toBe(false);
    expect(open.tokenMatches('')).toBe(false);
    expect(open.judge(request({}, { remoteAddress: '127.0.0.2' }))).toEqual({
      allowed: true,
      person: null,
    });
    expect(open.judge(request({}, { remoteAddress: '127.0.0.1' }))).toEqual({
      allowed: false,
      why: 'person',
    });
  });
});

describe('secrets and cookies', () => {
  it('compare whole secrets only, whatever their lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    for (const given of ['ab', 'abcd', 'abC', '', null, undefined]) {
      expect(sameSecret('abc', given)).toBe(false);
    }
  });

  it('reads every value a Cookie header gives one name', () => {
    expect(
      cookieValues('a=1; tollgate_access=x; b=2;tollgate_access=y=z', 'tollgate_access'),
    ).toEqual(['x', 'y=z']);
    expect(cookieValues(undefined, 'a')).toEqual([]);
    expect(cookieValues('xa=1; a', 'a')).toEqual([]);
  });
});
