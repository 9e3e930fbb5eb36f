import { type ClientConfig, types } from 'pg';

/** PostgreSQL's type oid of bigint (int8). */
const INT8 = 20;

/**
 * bigint columns (seqs, epoch milliseconds, counts) as numbers: node-postgres returns them as
 * strings, since an int8 may exceed 2^53; none of the store's comes near it (a seq is a count of
 * entries, a time is epoch milliseconds). Per connection, not node-postgres's global parsers, so
 * nothing else in the process is changed.
 */
const storeTypes: NonNullable<ClientConfig['types']> = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

/** How every connection of the store is made: the session and the pool's alike. */
export function connectionConfig(url: string, applicationName: string): ClientConfig {
  return {
    connectionString: url,
    types: storeTypes,
    application_name: applicationName,
    // A server that vanishes without closing the connection (a cut network) is noticed by the
    // operating system's keepalives rather than never (the session also checks itself: see
    // postgres-session.ts).
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 10_000,
  };
}

/**
 * The database a URL names, for messages: never the URL itself, which may carry a password.
 */
export function databaseName(url: string): string {
  try {
    const parsed = new URL(url);
    const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    const host = parsed.hostname || parsed.searchParams.get('host');
    return `${name || parsed.username || 'postgres'}${host ? ` on ${host}` : ''}`;
  } catch {
    return '(an unparsable URL)';
  }
}

/** Why the database of DATABASE_URL cannot be used, and what to do about it, in a sentence. */
export function unusableDatabase(url: string, error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const name = databaseName(url);
  const hint =
    code === '3D000'
      ? ` Create it first (createdb ${new URL(url).pathname.slice(1) || 'tollgate'}), or point DATABASE_URL at one that exists.`
      : code === '28P01' || code === '28000'
        ? ' Check the user and password in DATABASE_URL.'
        : code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT'
          ? ' Is PostgreSQL running, and are the host and port in DATABASE_URL right?'
          : '';
  return `the PostgreSQL database ${name} (DATABASE_URL) cannot be used: ${message ?? String(error)}.${hint}`;
}
