import { describe, expect, it } from 'vitest';
import { type ProxySettings, proxyFor, readProxySettings } from './proxy-settings.ts';

// Reading the proxy variables and choosing per URL. That requests really go through the proxy,
// or around it, is tested with a real proxy (test/claude-emulator/claude-proxy.test.ts).

function settings(env: Record<string, string>): ProxySettings {
  const result = readProxySettings(env);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.proxy;
}

const via = (target: string, env: Record<string, string>) =>
  proxyFor(new URL(target), settings(env))?.href ?? null;

const PROXY = 'http://proxy.corp.example:3128';

describe('the proxy settings', () => {
  it('send nothing through a proxy when none is set', () => {
    expect(via('https://api.anthropic.com/v1/messages', {})).toBeNull();
    expect(via('http://gateway.example/v1/messages', { HTTPS_PROXY: PROXY })).toBeNull();
  });

  it('use HTTPS_PROXY for https:// URLs and HTTP_PROXY for http:// ones, lowercase first', () => {
    const env = { HTTPS_PROXY: PROXY, HTTP_PROXY: 'http://plain.example:8080' };
    expect(via('https://api.anthropic.com/v1/messages', env)).toBe(`${PROXY}/`);
    expect(via('http://gateway.example/v1', env)).toBe('http://plain.example:8080/');
    expect(via('https://api.anthropic.com', { ...env, https_proxy: 'http://lower:1' })).toBe(
      'http://lower:1/',
    );
  });

  it('read a bare host:port as a plain HTTP proxy, as curl does, and keep its credentials', () => {
    expect(via('https://api.anthropic.com', { HTTPS_PROXY: 'proxy.corp.example:3128' })).toBe(
      `${PROXY}/`,
    );
    const withUser = settings({ HTTPS_PROXY: 'http://me:s%40cret@proxy.corp.example:3128' });
    expect([withUser.https?.username, withUser.https?.password]).toEqual(['me', 's%40cret']);
  });

  it('go around the proxy for the hosts NO_PROXY names', () => {
    const env = {
      HTTPS_PROXY: PROXY,
      NO_PROXY: 'internal.example, .corp.example *.lan.example,10.0.0.0/8 [::1] 192.168.1.7:8443',
    };
    const direct = [
      'https://internal.example/',
      'https://api.internal.example/',
      'https://corp.example/',
      'https://gw.corp.example/',
      'https://a.b.lan.example/',
      'https://10.1.2.3/',
      'https://[::1]:8443/',
      'https://192.168.1.7:8443/',
      'https://Internal.Example./',
    ];
    const proxied = [
      'https://api.anthropic.com/',
      'https://notinternal.example/',
      'https://11.0.0.1/',
      'https://[::2]/',
      'https://192.168.1.7/',
      'https://lan.example.com/',
    ];
    expect(direct.filter((url) => via(url, env) !== null)).toEqual([]);
    expect(proxied.filter((url) => via(url, env) === null)).toEqual([]);
  });

  it('go around the proxy for everything with NO_PROXY=*', () => {
    expect(via('https://api.anthropic.com', { HTTPS_PROXY: PROXY, no_proxy: '*' })).toBeNull();
  });

  it('refuse values they cannot use, without echoing a password', () => {
    const result = readProxySettings({
      HTTPS_PROXY: 'socks5://proxy:1080',
      HTTP_PROXY: 'http://me:secret@[bad',
      NO_PROXY: 'ok.example,bad/entry,10.0.0.0/33',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'HTTPS_PROXY must be an http:// or https:// proxy (not socks5://), like http://proxy.example.com:3128.',
        'HTTP_PROXY is not a URL: set it like http://proxy.example.com:3128.',
        'NO_PROXY entry "bad/entry" is not a host name, an IP address, a CIDR range or *.',
        'NO_PROXY entry "10.0.0.0/33" is not a host name, an IP address, a CIDR range or *.',
      ],
    });
  });
});
