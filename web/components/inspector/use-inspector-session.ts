import { createLogInspection, type LogInspection } from '@tollgate/machines';
import { useEffect, useState } from 'react';
import { createInspectorFeed, type InspectorFeed } from '../../lib/inspector/inspector-feed.ts';
import { socketUrl } from '../../lib/socket-url.ts';

export interface InspectorSession {
  log: LogInspection;
  feed: InspectorFeed;
}

/** The conversation's log and the connection that fills it, for the page's lifetime. */
export function useInspectorSession(conversationId: string): InspectorSession | null {
  const [session, setSession] = useState<InspectorSession | null>(null);
  useEffect(() => {
    const log = createLogInspection();
    const feed = createInspectorFeed({
      url: socketUrl(window.location),
      conversationId,
      log,
      isOnline: () => navigator.onLine,
    });
    const onOnline = () => feed.reconnectNow();
    const onOffline = () => feed.markOffline();
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    feed.start();
    setSession({ log, feed });
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      feed.stop();
    };
  }, [conversationId]);
  return session;
}
