import { createLogWriter } from '../../../src/conversations/log-writer.ts';
import type { Store } from '../../../src/store/store.ts';

/**
 * What a conversation runtime takes from the store, and a group-commit writer on its log whose
 * failures throw, so a test cannot miss one. Pass `onError` to see them instead.
 */
export function storeDeps(store: Store, onError?: (error: unknown) => void) {
  return {
    log: store.log,
    checkpoints: store.checkpoints,
    commands: store.commands,
    writer: createLogWriter(
      store.log,
      onError ??
        ((error) => {
          throw error;
        }),
    ),
  };
}
