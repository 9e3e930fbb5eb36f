import type {
  ClaudeAssistantBlock,
  ClaudeMessageParam,
  ClaudeUserBlock,
} from './claude-message.ts';
import type { AssistantItem, ConversationContext } from './conversation-context.ts';
import { toolResultFor } from './tool-result-for.ts';

// Derives the `messages` of the next Claude request from the timeline. The result keeps the rules
// the real API enforces: it starts with a user message, no content is empty, roles alternate, and
// every tool_use is answered by a tool_result at the start of the very next user message.

function assistantContent(item: AssistantItem): ClaudeAssistantBlock[] {
  if (item.status === 'failed' || item.status === 'streaming') return [];
  const content: ClaudeAssistantBlock[] = [];
  for (const block of item.blocks) {
    switch (block.type) {
      case 'text':
        // The API refuses text blocks that are empty or only whitespace.
        if (block.text.trim() !== '') content.push({ type: 'text', text: block.text });
        break;
      case 'thinking':
        // Unsigned thinking (cut off mid-block) would be rejected; signed thinking goes back verbatim.
        if (block.signature !== null) {
          content.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
        }
        break;
      case 'redacted_thinking':
        content.push({ type: 'redacted_thinking', data: block.data });
        break;
      case 'tool_use':
        // A stopped turn's tool calls never became calls, so they have no result to pair with.
        if (item.status === 'complete' && block.input !== null) {
          content.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
        }
        break;
    }
  }
  // Thinking alone is not an answer: a turn stopped before any text or tool call is left out.
  const answers = content.some((block) => block.type === 'text' || block.type === 'tool_use');
  return answers ? content : [];
}

export function toClaudeMessages(context: ConversationContext): ClaudeMessageParam[] {
  const messages: ClaudeMessageParam[] = [];
  const pushUser = (block: ClaudeUserBlock) => {
    const last = messages.at(-1);
    if (last?.role === 'user') last.content.push(block);
    else messages.push({ role: 'user', content: [block] });
  };
  for (const item of context.items) {
    switch (item.kind) {
      case 'user':
        // Images before the text, as the API's documentation advises; by reference only.
        for (const image of item.images ?? []) {
          pushUser({ type: 'image_reference', sha256: image.sha256, media_type: image.mediaType });
        }
        pushUser({ type: 'text', text: item.text });
        break;
      case 'assistant': {
        const content = assistantContent(item);
        if (content.length > 0) messages.push({ role: 'assistant', content });
        break;
      }
      case 'tool':
        // Tool items follow their assistant turn and precede any later user text, so each
        // tool_result lands at the start of the next user message.
        pushUser(toolResultFor(item));
        break;
      case 'notice':
        break;
    }
  }
  return messages;
}
