'use client';

import dynamic from 'next/dynamic';

// The chat needs the WebSocket, the URL and the reader's language, all of them browser-only, so it
// is not rendered on the server: the static page is this shell.
const ChatApp = dynamic(() => import('./chat-app.tsx').then((module) => module.ChatApp), {
  ssr: false,
  loading: () => (
    <p className="p-6 text-slate-600 dark:text-slate-300" role="status">
      Tollgate…
    </p>
  ),
});

export function ChatLoader() {
  return <ChatApp />;
}
