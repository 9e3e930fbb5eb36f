import { describe } from 'vitest';
import { logContract } from './log-contract.ts';
import { storeContract } from './store-contract.ts';
import { memoryImplementation } from './support/memory-implementation.ts';
import { sqliteImplementation } from './support/sqlite-implementation.ts';

// Every store implementation passes the same contract: the SQLite store on a real file, and the
// memory double other tests use in its place.
describe.each([sqliteImplementation, memoryImplementation])('$name', (implementation) => {
  logContract(implementation);
  storeContract(implementation);
});
