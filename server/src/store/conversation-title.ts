const MAX_TITLE = 80;

/**
 * A conversation's title: the first message a person sent, on one line, cut at a word boundary
 * near 80 characters so the list stays one line per conversation.
 */
export function conversationTitle(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  // Count code points, not UTF-16 units, so an emoji is never cut in half.
  const chars = Array.from(line);
  if (chars.length <= MAX_TITLE) return line;
  const cut = chars.slice(0, MAX_TITLE - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
