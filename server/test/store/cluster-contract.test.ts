import { describe } from 'vitest';
import { clusterContract } from './cluster-contract.ts';
import { memoryClusterImplementation } from './support/memory-cluster-implementation.ts';
import { postgresClusterImplementation } from './support/postgres-cluster-implementation.ts';

// Every cluster passes the same contract: the PostgreSQL one on a database of its own, and the
// in-memory double the registry's tests use in its place.
describe.each([postgresClusterImplementation, memoryClusterImplementation])(
  '$name',
  (implementation) => {
    clusterContract(implementation);
  },
);
