import { describe } from 'vitest';
import { logContract } from './log-contract.ts';
import { storeContract } from './store-contract.ts';
import { memoryImplementation } from './support/memory-implementation.ts';
import { postgresImplementation } from './support/postgres-implementation.ts';
import { sqliteImplementation } from './support/sqlite-implementation.ts';

// Every store implementation passes the same contract: the SQLite store on a real file, the
// PostgreSQL store on a database of its own, and the memory double other tests use in its place.
describe.each([sqliteImplementation, postgresImplementation, memoryImplementation])(
  '$name',
  (implementation) => {
    logContract(implementation);
    storeContract(implementation);
  },
);
