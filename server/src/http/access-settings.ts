import { BlockList, isIP } from 'node:net';
import { parseTrustedProxies } from './access-proxies.ts';

type Env = Record<string, string | undefined>;

/** Who may use this Tollgate, as the environment says (docs/access.md). */
export interface AccessSettings {
  /** When set, every route but /healthz, and the WebSocket, need it (or its cookie). */
  appToken: string | null;
  /**
   * ALLOW_ANONYMOUS=1 let it listen beyond loopback with no token: anyone who reaches the port
   * can use it. Only ever true in that case, so start-up warns exactly then.
   */
  anonymousOnNetwork: boolean;
  /** Socket addresses (IPs or CIDR ranges) whose X-Forwarded-Proto and person header count. */
  trustedProxies: string[];
  /** The header a trusted proxy names the person in, lower-cased (Remote-User); null: no people. */
  trustedUserHeader: string | null;
}

export type AccessSettingsResult = { settings: AccessSettings; problems: string[] };

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * Whether HOST only listens on this machine: 127.0.0.0/8, ::1 or localhost. Any other name
 * counts as reachable from the network, since what it resolves to cannot be told here.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && loopback.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

/** An HTTP header name (RFC 9110 token characters). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * APP_TOKEN, ALLOW_ANONYMOUS, TRUSTED_PROXIES and TRUSTED_USER_HEADER, checked against HOST. A
 * HOST beyond loopback without a token is a problem (the server does not start) unless
 * ALLOW_ANONYMOUS=1 says it is meant: chosen over generating a token, so that nothing changes
 * behind the person's back and the one way in is the one they set.
 */
export function readAccessSettings(env: Env, host: string): AccessSettingsResult {
  const problems: string[] = [];
  const appToken = env.APP_TOKEN?.trim() || null;

  const anonymousRaw = env.ALLOW_ANONYMOUS?.trim().toLowerCase() ?? '';
  let allowAnonymous = false;
  if (anonymousRaw === '1' || anonymousRaw === 'true') allowAnonymous = true;
  else if (!['', '0', 'false'].includes(anonymousRaw)) {
    problems.push(`ALLOW_ANONYMOUS="${env.ALLOW_ANONYMOUS}" must be 1 or empty.`);
  }

  const exposed = !isLoopbackHost(host) && appToken === null;
  if (exposed && !allowAnonymous) {
    problems.push(
      `HOST=${host} lets other machines connect, and there is no APP_TOKEN: anyone who reaches the port could chat with your Claude key and approve file writes. Set APP_TOKEN to a long random secret (openssl rand -hex 32) and open http://<host>:<port>/?token=<APP_TOKEN> once per browser; or set HOST=127.0.0.1 to stay on this machine; or, only if something in front of Tollgate already controls who gets in, set ALLOW_ANONYMOUS=1 (docs/access.md).`,
    );
  }

  const trustedProxies = (env.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  problems.push(...parseTrustedProxies(trustedProxies).problems);

  const header = env.TRUSTED_USER_HEADER?.trim() || null;
  if (header !== null && !HEADER_NAME.test(header)) {
    problems.push(`TRUSTED_USER_HEADER="${header}" must be a header name, such as Remote-User.`);
  }
  if (header !== null && trustedProxies.length === 0) {
    problems.push(
      `TRUSTED_USER_HEADER=${header} needs TRUSTED_PROXIES: the addresses of the proxy that sets it (from anywhere else the header is ignored).`,
    );
  }

  return {
    settings: {
      appToken,
      anonymousOnNetwork: exposed && allowAnonymous,
      trustedProxies,
      trustedUserHeader: header?.toLowerCase() ?? null,
    },
    problems,
  };
}
