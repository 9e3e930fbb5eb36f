// The inspector has its own address, so it opens in another tab and can be shared on the same
// server. Both links keep the page's other parameters: the access token travels with them.

/** The inspector of a conversation, from the current page's query string. */
export function inspectorHref(search: string, conversationId: string): string {
  return withConversation('/inspect', search, conversationId);
}

/** The chat page open on a conversation, from the inspector's query string. */
export function conversationHref(search: string, conversationId: string): string {
  return withConversation('/', search, conversationId);
}

function withConversation(path: string, search: string, conversationId: string): string {
  const params = new URLSearchParams(search);
  params.set('c', conversationId);
  return `${path}?${params}`;
}
