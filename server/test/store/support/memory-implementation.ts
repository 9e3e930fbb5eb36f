import { MACHINE_VERSION } from '@tollgate/machines';
import { createMemoryStore, createMemoryStoreData } from './memory-store.ts';
import type { StoreImplementation } from './store-implementation.ts';

/** The memory double; `reopen` opens a new store on the same data. */
export const memoryImplementation: StoreImplementation = {
  name: 'the memory double',
  persistent: false,
  async open(options) {
    const data = createMemoryStoreData();
    let store = createMemoryStore({ data, ...options });
    const reopen = async () => {
      await store.close();
      store = createMemoryStore({ data, ...options });
      return store;
    };
    return {
      get store() {
        return store;
      },
      reopen,
      ageCheckpoint(conversationId) {
        const saved = data.checkpoints.get(conversationId);
        if (saved) saved.machineVersion = MACHINE_VERSION + 1;
        return reopen();
      },
      dispose: () => store.close(),
    };
  },
};
