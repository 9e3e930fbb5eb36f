// The request rules the real Anthropic Messages API enforces on `messages` (see
// shared/claude-wire.md), written once so that the machine's tests and the Claude emulator judge
// requests alike. Each violation reads like the API's own 400 message.

type Block = { type: string; [key: string]: unknown };
type Message = { role: string; content: string | Block[] };

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function blocksOf(message: Message): Block[] {
  return typeof message.content === 'string'
    ? [{ type: 'text', text: message.content }]
    : message.content;
}

/** The API merges consecutive messages of one role before applying its other rules. */
function mergeRoles(messages: Message[]): { role: string; content: Block[]; from: number }[] {
  const merged: { role: string; content: Block[]; from: number }[] = [];
  messages.forEach((message, index) => {
    const last = merged.at(-1);
    if (last && last.role === message.role) last.content.push(...blocksOf(message));
    else merged.push({ role: message.role, content: [...blocksOf(message)], from: index });
  });
  return merged;
}

/** Judges a request's `messages` as parsed from JSON: anything may come in. */
export function messagesViolations(input: unknown): string[] {
  if (!Array.isArray(input)) return ['messages: Input should be a valid list'];
  const problems: string[] = [];
  if (input.length === 0) return ['messages: at least one message is required'];
  const malformed = input.findIndex(
    (m) =>
      typeof m !== 'object' ||
      m === null ||
      !(typeof m.content === 'string' || Array.isArray(m.content)) ||
      (Array.isArray(m.content) &&
        m.content.some((b: unknown) => typeof b !== 'object' || b === null)),
  );
  if (malformed !== -1) return [`messages.${malformed}: Input should be a valid message`];
  const messages = input as Message[];
  messages.forEach((message, n) => {
    if (message.role !== 'user' && message.role !== 'assistant') {
      problems.push(`messages.${n}.role: must be "user" or "assistant"`);
    }
    if (
      typeof message.content === 'string' ? message.content === '' : message.content.length === 0
    ) {
      problems.push(`messages.${n}: all messages must have non-empty content`);
    }
    blocksOf(message).forEach((block, b) => {
      const at = `messages.${n}.content.${b}`;
      if (block.type === 'text' && (typeof block.text !== 'string' || block.text === '')) {
        problems.push(`${at}: text content blocks must be non-empty`);
      } else if (block.type === 'text' && String(block.text).trim() === '') {
        problems.push(`${at}: text content blocks must contain non-whitespace text`);
      }
      if (
        block.type === 'tool_result' &&
        block.is_error === true &&
        (block.content === '' || (Array.isArray(block.content) && block.content.length === 0))
      ) {
        problems.push(`${at}: content cannot be empty if \`is_error\` is true`);
      }
      if (block.type === 'tool_use') {
        if (message.role !== 'assistant')
          problems.push(`${at}: tool_use is only allowed in assistant messages`);
        if (typeof block.name !== 'string' || !TOOL_NAME.test(block.name)) {
          problems.push(`${at}.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
        }
        if (typeof block.input !== 'object' || block.input === null || Array.isArray(block.input)) {
          problems.push(`${at}.input: Input should be a valid dictionary`);
        }
      }
      if (block.type === 'tool_result' && message.role !== 'user') {
        problems.push(`${at}: tool_result is only allowed in user messages`);
      }
      if (
        block.type === 'thinking' &&
        (typeof block.signature !== 'string' || block.signature === '')
      ) {
        problems.push(`${at}.signature: Field required`);
      }
    });
  });
  if (messages[0]?.role !== 'user')
    problems.push('messages: first message must use the "user" role');

  const merged = mergeRoles(messages);
  merged.forEach((message, m) => {
    const toolUseIds = message.content.flatMap((block) =>
      block.type === 'tool_use' ? [String(block.id)] : [],
    );
    const previous = merged[m - 1];
    const answerable = new Set(
      previous?.role === 'assistant'
        ? previous.content.flatMap((block) => (block.type === 'tool_use' ? [String(block.id)] : []))
        : [],
    );
    if (message.role === 'user') {
      let leading = true;
      const seen = new Set<string>();
      message.content.forEach((block) => {
        if (block.type !== 'tool_result') {
          leading = false;
          return;
        }
        const id = String(block.tool_use_id);
        if (!answerable.has(id)) {
          problems.push(
            `messages.${message.from}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
          );
        } else if (seen.has(id)) {
          problems.push(`messages.${message.from}.content: duplicate \`tool_result\` for ${id}`);
        } else if (!leading) {
          problems.push(
            `messages.${message.from}.content: \`tool_result\` blocks must come before any other content: ${id}`,
          );
        }
        seen.add(id);
      });
    }
    if (message.role === 'assistant' && toolUseIds.length > 0) {
      const next = merged[m + 1];
      const answered = new Set(
        next?.role === 'user'
          ? next.content.flatMap((block) =>
              block.type === 'tool_result' ? [String(block.tool_use_id)] : [],
            )
          : [],
      );
      const missing = toolUseIds.filter((id) => !answered.has(id));
      // A trailing assistant turn is a prefill, which may not end in tool_use either.
      if (missing.length > 0) {
        problems.push(
          `messages.${next?.from ?? messages.length}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
    }
  });
  return problems;
}

/**
 * Extended thinking's rule on the history (the API's 400 when thinking is on): a tool-use loop is
 * one assistant turn with one thinking configuration, so when the last user message answers
 * tool calls, the assistant message that made them must start with a thinking (or redacted
 * thinking) block. With thinking off, any history is taken: the API ignores the thinking blocks.
 */
export function thinkingViolations(thinking: unknown, messages: unknown): string[] {
  const type = (thinking as { type?: unknown } | null | undefined)?.type;
  if (type !== 'enabled' && type !== 'adaptive') return [];
  if (messagesViolations(messages).length > 0) return [];
  const merged = mergeRoles(messages as Message[]);
  const last = merged.at(-1);
  const answered = merged.at(-2);
  if (last?.role !== 'user' || answered?.role !== 'assistant') return [];
  if (!last.content.some((block) => block.type === 'tool_result')) return [];
  const first = answered.content[0]?.type;
  if (first === 'thinking' || first === 'redacted_thinking') return [];
  return [
    `messages.${answered.from}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`,
  ];
}
