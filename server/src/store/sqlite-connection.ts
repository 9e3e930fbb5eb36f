import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './sqlite-schema.ts';
import { EventStoreError } from './store-errors.ts';

/**
 * The store's one connection to its file (created with its directory if missing), set up for a
 * single owning process and migrated to the current schema.
 */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // A second process opening the file (a second server on the same data directory) waits this
    // long for the lock, then fails with the message below.
    db.pragma('busy_timeout = 1000');
    // One process owns the file: it takes the lock once and keeps it, instead of taking and
    // releasing file locks and the shared-memory index on every commit, which nearly halved the
    // time of an append in server/bench. Durability is the same. The price: nothing else can read
    // the file while the server runs (stop it to use the sqlite3 shell or copy the file), and a
    // second server on the same data is refused rather than allowed to fork the conversations.
    db.pragma('locking_mode = EXCLUSIVE');
    // WAL: a commit is one sequential append to the -wal file.
    db.pragma('journal_mode = WAL');
    // NORMAL with WAL syncs at checkpoints, not at every commit. A commit is in the OS's page
    // cache when the call returns, so it survives the process dying at any instant (a crash,
    // kill -9, an OOM kill): what the tests check, and what a server mostly meets. What it trades
    // away: on a power cut or kernel panic the commits since the WAL was last synced can be lost.
    // The file is never torn (it comes back as an earlier, consistent log), but seqs browsers
    // already saw may then be reused. FULL would fsync every append, a disk flush per streamed
    // delta; a deployment that needs it can change this one line.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new EventStoreError(
        `${file} is in use by another process (is another Tollgate server running on this data directory?)`,
      );
    }
    throw error;
  }
  return db;
}

/** Refuses a call on a closed store with a sentence, rather than better-sqlite3's TypeError. */
export function assertOpen(db: Database.Database): void {
  if (!db.open) throw new EventStoreError(`the store on ${db.name} is closed`);
}
