import type { ToolRun } from '@tollgate/machines';
import { useCallback, useContext, useSyncExternalStore } from 'react';
import { liveToolRun, subscribeToChunks } from '../lib/live-runs.ts';
import { LiveContext } from '../lib/live-text.ts';

/**
 * Tool call `toolUseId`'s run as the mirror has it, for a panel that draws its chunks by itself:
 * `run` is the run as the view last rendered it; while it runs, each chunk the mirror folds
 * renders the panel that uses this (in the frame that folded it) and nothing above it. A run that
 * is not running takes no chunks, and is read from `run` alone.
 */
export function useLiveRun(toolUseId: string, run: ToolRun): ToolRun {
  const source = useContext(LiveContext);
  const running = source !== null && run.status === 'running';
  const subscribe = useCallback(
    (changed: () => void) => {
      if (!running || source === null) return () => {};
      return subscribeToChunks(source, toolUseId, changed);
    },
    [source, running, toolUseId],
  );
  const current = useCallback(
    () =>
      running && source !== null
        ? (liveToolRun(source.actor.getSnapshot().context, toolUseId) ?? run)
        : run,
    [source, running, toolUseId, run],
  );
  return useSyncExternalStore(subscribe, current, current);
}
