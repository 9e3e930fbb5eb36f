import { useCallback, useContext, useEffect, useRef } from 'react';
import { liveRunLength, subscribeToChunks } from '../lib/live-runs.ts';
import { LiveContext } from '../lib/live-text.ts';
import { type TailText, tailAt, takeRange, withDelta } from '../lib/tail-text.ts';

/**
 * The chunks of tool call `toolUseId`'s run as they arrive, kept from the chunk events so that
 * the file panel draws what is new without reading the run's whole text (see tail-text.ts).
 * Returns what `FileText` asks for: the text between two lengths of the run, or null when the
 * tail did not see all of it (it began after them; an event was not applied) and the panel must
 * read it from the text itself.
 */
export function useChunkTail(toolUseId: string) {
  const source = useContext(LiveContext);
  const tail = useRef<TailText | null>(null);

  useEffect(() => {
    if (!source) return;
    const lengthNow = () => liveRunLength(source.actor.getSnapshot().context, toolUseId);
    tail.current = tailAt(lengthNow());
    const unsubscribe = subscribeToChunks(source, toolUseId, (chunk) => {
      const length = lengthNow();
      tail.current =
        (tail.current && withDelta(tail.current, chunk.text, length)) ?? tailAt(length);
    });
    return () => {
      unsubscribe();
      tail.current = null;
    };
  }, [source, toolUseId]);

  return useCallback((from: number, to: number): string | null => {
    if (tail.current === null) return null;
    const taken = takeRange(tail.current, from, to);
    tail.current = taken.tail;
    return taken.text;
  }, []);
}
