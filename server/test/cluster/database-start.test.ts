import { describe, expect, it } from 'vitest';
import { serverDirs, startServerProcess } from '../server/server-process.ts';
import { ADMIN_URL, urlOfDatabase } from '../store/support/postgres-databases.ts';

describe('starting on a PostgreSQL database', () => {
  it('says, in a sentence, that the database of DATABASE_URL does not exist, and how to fix it', async () => {
    const { dataDir, workspaceDir } = await serverDirs();
    const missing = urlOfDatabase(ADMIN_URL, 'tollgate_never_created');
    await expect(
      startServerProcess({ DATABASE_URL: missing, DATA_DIR: dataDir, WORKSPACE_DIR: workspaceDir }),
    ).rejects.toThrow(
      /Tollgate cannot start:\n {2}- the PostgreSQL database tollgate_never_created on 127\.0\.0\.1 \(DATABASE_URL\) cannot be used: database "tollgate_never_created" does not exist\. Create it first \(createdb tollgate_never_created\)/,
    );
  });
});
