/** The conversation and command a refused message is about, so the error can name them. */
export interface RefusalContext {
  commandId?: string;
  conversationId?: string;
}

/** What a parsed message names in the expected places, kept only when it is safe to echo. */
export function refusalContext(json: unknown): RefusalContext {
  if (typeof json !== 'object' || json === null) return {};
  const message = json as { conversationId?: unknown; command?: { commandId?: unknown } };
  const context: RefusalContext = {};
  if (typeof message.command?.commandId === 'string')
    context.commandId = message.command.commandId.slice(0, 128);
  if (
    typeof message.conversationId === 'string' &&
    /^[a-zA-Z0-9_-]{1,64}$/.test(message.conversationId)
  ) {
    context.conversationId = message.conversationId;
  }
  return context;
}
