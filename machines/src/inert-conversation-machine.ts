import { conversationMachine, inertActors } from './conversation-machine.ts';

/**
 * The conversation machine provided with actors that do nothing: it only folds events. The browser
 * mirrors the server with it and replays rebuild state with it; neither may call Claude or a tool.
 */
export const inertConversationMachine = conversationMachine.provide({ actors: inertActors });
