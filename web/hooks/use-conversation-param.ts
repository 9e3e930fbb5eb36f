import { useCallback, useEffect, useState } from 'react';

// The open conversation lives in the URL (`?c=<id>`), so a reload, a bookmark or a second tab
// opens the same one. Other parameters (the access token) are kept as they are.

const PARAM = 'c';

function readParam(): string | null {
  return new URLSearchParams(window.location.search).get(PARAM);
}

/** The page URL with `c` set to the conversation (or removed). */
export function conversationHref(id: string | null): string {
  const params = new URLSearchParams(window.location.search);
  if (id === null) params.delete(PARAM);
  else params.set(PARAM, id);
  const query = params.toString();
  return `${window.location.pathname}${query ? `?${query}` : ''}`;
}

export function useConversationParam(): [string | null, (id: string | null) => void] {
  const [id, setId] = useState<string | null>(readParam);
  useEffect(() => {
    const onPop = () => setId(readParam());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const select = useCallback((next: string | null) => {
    if (next === readParam()) return;
    window.history.pushState(null, '', conversationHref(next));
    setId(next);
  }, []);
  return [id, select];
}
