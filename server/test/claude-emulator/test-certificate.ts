import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  /** PEM files: `certFile` is what NODE_EXTRA_CA_CERTS takes to trust it. */
  certFile: string;
  cert: string;
  key: string;
  /** Deletes the files. */
  remove(): Promise<void>;
}

/**
 * A fresh self-signed certificate for the given names, valid for a day, made by the openssl
 * command line (Node has no API to issue one). Made per run rather than kept in the repository,
 * so no private key is committed and none expires.
 */
export async function makeTestCertificate(names: {
  dns: string[];
  ips: string[];
}): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-cert-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const altNames = [...names.dns.map((n) => `DNS:${n}`), ...names.ips.map((ip) => `IP:${ip}`)];
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'],
      ...['-nodes', '-days', '1', '-subj', '/CN=Tollgate test'],
      ...['-addext', `subjectAltName=${altNames.join(',')}`],
      ...['-keyout', keyFile, '-out', certFile],
    ],
    { stdio: 'pipe' },
  );
  return {
    certFile,
    cert: await readFile(certFile, 'utf8'),
    key: await readFile(keyFile, 'utf8'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
