import { BlockList, isIP } from 'node:net';

// Which proxy, if any, the Claude transport goes through, from the variables curl, Python and
// Node's own `NODE_USE_ENV_PROXY` read: HTTPS_PROXY for https:// URLs (the Anthropic API and
// Bedrock), HTTP_PROXY for http:// ones (only a gateway set as ANTHROPIC_BASE_URL=http://…), and
// NO_PROXY for hosts reached directly. The lowercase spelling wins, as in curl.

/** How the Claude transport reaches each host. */
export interface ProxySettings {
  /** HTTPS_PROXY: the proxy for https:// URLs, or null. */
  https: URL | null;
  /** HTTP_PROXY: the proxy for http:// URLs, or null. */
  http: URL | null;
  /** NO_PROXY, parsed: the hosts reached directly. */
  noProxy: NoProxyRule[];
}

/** One NO_PROXY entry. `port` null: any port. */
type NoProxyRule =
  | { kind: 'everything' }
  | { kind: 'domain'; name: string; port: number | null }
  | { kind: 'addresses'; list: BlockList; port: number | null };

export type ProxySettingsResult =
  | { ok: true; proxy: ProxySettings }
  | { ok: false; problems: string[] };

type Env = Record<string, string | undefined>;

/** No proxy at all: what tests and benchmarks get unless they ask. */
export const NO_PROXY_AT_ALL: ProxySettings = { https: null, http: null, noProxy: [] };

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

function read(env: Env, name: string): string | null {
  return env[name.toLowerCase()]?.trim() || env[name]?.trim() || null;
}

function proxyUrl(env: Env, name: string, problems: string[]): URL | null {
  const raw = read(env, name);
  if (raw === null) return null;
  // curl's reading of a bare host:port: a plain HTTP proxy, which corporate proxies are.
  const withScheme = raw.includes('://') ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    // Not echoed: it may hold the proxy's password.
    problems.push(`${name} is not a URL: set it like http://proxy.example.com:3128.`);
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(
      `${name} must be an http:// or https:// proxy (not ${url.protocol}//), like http://proxy.example.com:3128.`,
    );
    return null;
  }
  return url;
}

function addressRule(address: string, port: number | null): NoProxyRule | null {
  const [ip, bits] = address.split('/');
  const family = isIP(ip ?? '');
  if (!ip || family === 0) return null;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  if (bits === undefined) {
    list.addAddress(ip, type);
    return { kind: 'addresses', list, port };
  }
  const prefix = Number(bits);
  if (!/^\d+$/.test(bits) || prefix > (family === 6 ? 128 : 32)) return null;
  list.addSubnet(ip, prefix, type);
  return { kind: 'addresses', list, port };
}

function noProxyRule(entry: string): NoProxyRule | null {
  if (entry === '*') return { kind: 'everything' };
  // [::1]:8080, [::1], host:8080, host, 10.0.0.0/8, fd00::/8 (a bare IPv6 address has no port)
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const hostPort = bracketed ? null : /^([^:]+):(\d+)$/.exec(entry);
  const host = bracketed?.[1] ?? hostPort?.[1] ?? entry;
  const portText = bracketed?.[2] ?? hostPort?.[2];
  const port = portText === undefined ? null : Number(portText);
  if (port !== null && (port < 1 || port > 65_535)) return null;
  if (isIP(host.split('/')[0] ?? '') !== 0) return addressRule(host, port);
  // example.com, .example.com and *.example.com: the domain and every name under it, as curl and
  // Go read them.
  const name = host.replace(/^\*?\./, '');
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name)) return null;
  return { kind: 'domain', name, port };
}

/** Reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY; a value that cannot be used is a problem. */
export function readProxySettings(env: Env): ProxySettingsResult {
  const problems: string[] = [];
  const https = proxyUrl(env, 'HTTPS_PROXY', problems);
  const http = proxyUrl(env, 'HTTP_PROXY', problems);
  const noProxy: NoProxyRule[] = [];
  for (const entry of (read(env, 'NO_PROXY') ?? '').toLowerCase().split(/[\s,]+/)) {
    if (!entry) continue;
    const rule = noProxyRule(entry);
    if (rule) noProxy.push(rule);
    else
      problems.push(
        `NO_PROXY entry "${entry}" is not a host name, an IP address, a CIDR range or *.`,
      );
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, proxy: { https, http, noProxy } };
}

function bypasses(rule: NoProxyRule, host: string, port: number): boolean {
  if (rule.kind === 'everything') return true;
  if (rule.port !== null && rule.port !== port) return false;
  if (rule.kind === 'domain') return host === rule.name || host.endsWith(`.${rule.name}`);
  const family = isIP(host);
  return family !== 0 && rule.list.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/** The proxy a request to `target` goes through, or null to connect directly. */
export function proxyFor(target: URL, proxy: ProxySettings): URL | null {
  const through = target.protocol === 'https:' ? proxy.https : proxy.http;
  if (through === null) return null;
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  const port = Number(target.port) || DEFAULT_PORTS[target.protocol] || 0;
  return proxy.noProxy.some((rule) => bypasses(rule, host, port)) ? null : through;
}
