import type { ConversationContext, ConversationEvent, ToolRun } from '@tollgate/machines';
import type { LiveContextSource } from './live-text.ts';

// A file panel draws its run's chunks by itself (use-live-run.ts), so a chunk needs no render of
// the conversation's view: while a megabyte arrives, the view is not rendered at every frame for
// a change only the panel shows. What a render of the view would add, it gets with the run's next
// change that is not a chunk (frame-batched.ts, `unneeded`).

/** Tool call `toolUseId`'s run as the mirror has it this instant, or null if it has none yet. */
export function liveToolRun(context: ConversationContext, toolUseId: string): ToolRun | null {
  for (let at = context.items.length - 1; at >= 0; at--) {
    const item = context.items[at];
    if (item?.kind === 'tool' && item.toolUseId === toolUseId) return item.run;
  }
  return null;
}

type ToolChunk = Extract<ConversationEvent, { type: 'tool.chunk' }>;

/**
 * Calls `next` with each chunk of tool call `toolUseId`'s run that the mirror folds (after the
 * fold, so the mirror's context holds it); returns the way to stop.
 */
export function subscribeToChunks(
  source: LiveContextSource,
  toolUseId: string,
  next: (chunk: ToolChunk) => void,
): () => void {
  const subscription = source.actor.subscribe({
    next: () => {
      const event = source.lastEvent();
      if (event?.type === 'tool.chunk' && event.toolUseId === toolUseId) next(event);
    },
  });
  return () => subscription.unsubscribe();
}

/** How long the text of tool call `toolUseId`'s run is (its chunks so far), or 0 if none. */
export function liveRunLength(context: ConversationContext, toolUseId: string): number {
  return liveToolRun(context, toolUseId)?.text.length ?? 0;
}

/** For each mirror, the tool calls whose panel draws their chunks without a render of the view. */
const selfDrawn = new WeakMap<LiveContextSource, Set<string>>();

/**
 * Says whether the panel of tool call `toolUseId` draws the run's chunks by itself, and no chunk
 * can change anything else on the page: the panel is mounted, and its text box is full, so a new
 * chunk no longer makes it taller (the timeline, which follows its end at a render, does not move).
 */
export function markSelfDrawnRun(
  source: LiveContextSource,
  toolUseId: string,
  drawn: boolean,
): void {
  let runs = selfDrawn.get(source);
  if (runs === undefined) {
    runs = new Set();
    selfDrawn.set(source, runs);
  }
  if (drawn) runs.add(toolUseId);
  else runs.delete(toolUseId);
}

/** Whether the mirror's last change is a chunk whose panel draws it by itself. */
export function panelShowsLastChange(source: LiveContextSource): boolean {
  const event = source.lastEvent();
  return event?.type === 'tool.chunk' && (selfDrawn.get(source)?.has(event.toolUseId) ?? false);
}
