import { useEffect, useState } from 'react';
import { browserFrames } from '../../lib/frame-batched.ts';
import type { InspectorFeed } from '../../lib/inspector/inspector-feed.ts';

/**
 * The number of entries in the log, updated at most once per animation frame: live, every delta
 * and every chunk is an entry of its own, and the screen shows one state per frame anyway.
 */
export function useLogLength(feed: InspectorFeed, log: { lastSeq(): number }): number {
  const [length, setLength] = useState(log.lastSeq);
  useEffect(() => {
    let cancel: (() => void) | null = null;
    const off = feed.onEntries(() => {
      cancel ??= browserFrames.request(() => {
        cancel = null;
        setLength(log.lastSeq());
      });
    });
    // Entries may have arrived between the first render and this subscription.
    setLength(log.lastSeq());
    return () => {
      off();
      cancel?.();
    };
  }, [feed, log]);
  return length;
}
