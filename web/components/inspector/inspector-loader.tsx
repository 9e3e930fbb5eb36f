'use client';

import { useSyncExternalStore } from 'react';
import { InspectorApp } from './inspector-app.tsx';

const noChanges = () => () => undefined;

/**
 * The inspector needs the WebSocket, the URL and the reader's language, all of them browser-only:
 * the static page shows a placeholder and the browser renders the app. Its code is imported with
 * the page, not fetched after it has started, so the log is asked for sooner.
 */
export function InspectorLoader() {
  const inBrowser = useSyncExternalStore(
    noChanges,
    () => true,
    () => false,
  );
  return inBrowser ? (
    <InspectorApp />
  ) : (
    <p className="p-6 text-slate-600 dark:text-slate-300" role="status">
      Tollgate…
    </p>
  );
}
