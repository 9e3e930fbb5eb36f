import { z } from 'zod';
import { commandEventSchema } from './command-events.ts';
import { factEventSchema } from './fact-events.ts';

/** Everything the conversation machine consumes, and so everything its log holds. */
export const conversationEventSchema = z.discriminatedUnion('type', [
  ...commandEventSchema.options,
  ...factEventSchema.options,
]);

export type ConversationEvent = z.infer<typeof conversationEventSchema>;
