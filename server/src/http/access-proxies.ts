import { BlockList, isIP } from 'node:net';

/** The socket addresses whose forwarded headers Tollgate believes (TRUSTED_PROXIES). */
export interface TrustedProxies {
  trusts(address: string | undefined): boolean;
}

/**
 * TRUSTED_PROXIES entries, each an IPv4 or IPv6 address or a CIDR range (10.0.0.0/8, fd00::/8),
 * as a matcher; entries that are neither come back as problems. Node's BlockList does the
 * matching, IPv4-mapped IPv6 addresses (::ffff:10.0.0.5, what a dual-stack socket reports)
 * included.
 */
export function parseTrustedProxies(entries: readonly string[]): {
  proxies: TrustedProxies;
  problems: string[];
} {
  const list = new BlockList();
  const problems: string[] = [];
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== null && (!/^\d+$/.test(prefix ?? '') || bits > maxBits))
    ) {
      problems.push(
        `TRUSTED_PROXIES entry "${entry}" must be an IP address (10.0.0.5) or a CIDR range (10.0.0.0/8).`,
      );
      continue;
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return {
    proxies: {
      trusts(address) {
        if (!address) return false;
        const family = isIP(address);
        return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
      },
    },
    problems,
  };
}
