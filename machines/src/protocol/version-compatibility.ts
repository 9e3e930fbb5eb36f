import { MACHINE_VERSION } from '../conversation-machine.ts';
import { PROTOCOL_VERSION } from './server-message.ts';

/** What a build speaks: the wire protocol, and the machine version that gives entries meaning. */
export interface Versions {
  protocol: number;
  machineVersion: number;
}

export type VersionMismatchReason = 'page_older' | 'server_older';

export type Compatibility =
  | { ok: true }
  | {
      ok: false;
      reason: VersionMismatchReason;
      /** Plain English, for logs and tests; the page words it from `reason` in its own locale. */
      message: string;
      /**
       * Whether the page can go on despite the mismatch. Only a server with the same protocol and
       * an older machine can: its entries are upcast to this machine (upcast.ts), and it reads
       * this page's commands. Anything newer on the server, or an older protocol, cannot.
       */
      pageWorks: boolean;
    };

export const PAGE_VERSIONS: Versions = {
  protocol: PROTOCOL_VERSION,
  machineVersion: MACHINE_VERSION,
};

/**
 * Whether this page can work with a server that says (in its hello, or an entry's
 * `machineVersion`) it speaks `server`. A newer server is checked first: whatever else differs,
 * the page cannot read what it does not know, and reloading fetches the server's own page.
 */
export function compatibility(server: Versions, page: Versions = PAGE_VERSIONS): Compatibility {
  const versions = `The server speaks protocol ${server.protocol} and machine version ${server.machineVersion}; this page, protocol ${page.protocol} and machine version ${page.machineVersion}.`;
  if (server.protocol > page.protocol || server.machineVersion > page.machineVersion) {
    return {
      ok: false,
      reason: 'page_older',
      message: `This page is older than the server. Reload to continue. ${versions}`,
      pageWorks: false,
    };
  }
  if (server.protocol < page.protocol) {
    return {
      ok: false,
      reason: 'server_older',
      message: `The server is older than this page and speaks an older protocol. Reload to continue. ${versions}`,
      pageWorks: false,
    };
  }
  if (server.machineVersion < page.machineVersion) {
    return {
      ok: false,
      reason: 'server_older',
      message: `The server is older than this page; the page keeps working. Reload to match it. ${versions}`,
      pageWorks: true,
    };
  }
  return { ok: true };
}
