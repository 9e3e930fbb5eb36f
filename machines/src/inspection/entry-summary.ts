import type { LogEntry } from '../log-entry.ts';
import { policyRuleText } from '../policy-rule-text.ts';

const MAX = 120;

/** Text on one line, cut to `max` characters. */
export function oneLine(text: string, max = MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const quoted = (text: string) => JSON.stringify(oneLine(text, MAX - 2));

/** What a call is about, in a word: its path (a file tool's), or its first string argument. */
function callTarget(input: Record<string, unknown>): string {
  const path = input.path;
  if (typeof path === 'string') return path;
  const first = Object.values(input).find((value) => typeof value === 'string');
  return typeof first === 'string' ? oneLine(first, 60) : '';
}

/** One line saying what an entry is: the text of a delta, the tool and path of a call, … */
export function entrySummary(entry: LogEntry): string {
  const event = entry.event;
  switch (event.type) {
    case 'user.message':
      return event.images
        ? `${quoted(event.text)} (${event.images.length} image${event.images.length === 1 ? '' : 's'})`
        : quoted(event.text);
    case 'tool.approve':
      return `${event.toolUseId}: approved ${event.scope}${event.editedInput ? ', arguments edited' : ''}`;
    case 'tool.deny':
      return `${event.toolUseId}: denied${event.reason ? `: ${quoted(event.reason)}` : ''}`;
    case 'policy.revoke':
      return `${event.toolName} no longer always allowed`;
    case 'turn.stop':
      return 'Stop';
    case 'turn.retry':
      return 'Retry';
    case 'conversation.renamed':
      return `renamed ${quoted(event.title)}`;
    case 'conversation.settings_changed':
      return `settings: ${event.model}, ${event.thinkingBudget === null ? 'no thinking' : `thinking ${event.thinkingBudget} tokens`}, ${event.systemPrompt === null ? 'default system prompt' : 'own system prompt'}`;
    case 'assistant.started':
      return `turn ${event.turn}: ${event.model}`;
    case 'assistant.text_delta':
      return quoted(event.text);
    case 'assistant.thinking_delta':
      return quoted(event.thinking);
    case 'assistant.thinking_signature':
      return `turn ${event.turn}: thinking signed`;
    case 'assistant.redacted_thinking':
      return `turn ${event.turn}: redacted thinking`;
    case 'assistant.tool_input_delta':
      return `${event.name}: ${quoted(event.partialJson)}`;
    case 'assistant.tool_use':
      return oneLine(`${event.name} ${callTarget(event.input)} (${event.toolUseId})`);
    case 'assistant.completed':
      return `turn ${event.turn}: ${event.stopReason}, ${event.usage.inputTokens} tokens in, ${event.usage.outputTokens} out`;
    case 'assistant.failed':
      return oneLine(`turn ${event.turn}: ${event.kind}: ${event.message}`);
    case 'tool.started':
      return `${event.toolUseId} on ${event.server}`;
    case 'tool.chunk':
      return `chunk ${event.index + 1}: ${event.bytes} of ${event.total} bytes`;
    case 'tool.progress':
      return `${event.progress}${event.total !== undefined ? ` of ${event.total}` : ''}${event.message ? `: ${oneLine(event.message, 60)}` : ''}`;
    case 'tool.completed':
      return event.file
        ? `${event.toolUseId}: ${event.file.path}, ${event.file.bytes} bytes${event.isError ? ' (error)' : ''}`
        : oneLine(`${event.toolUseId}: ${event.isError ? 'error: ' : ''}${event.content}`);
    case 'tool.failed':
      return oneLine(`${event.toolUseId}: ${event.message}`);
    case 'approval.expired':
      return `turn ${event.turn}: the calls still waiting expired`;
    case 'tool.policy_decided':
      return `${event.toolUseId}: ${event.decision} by ${event.rule ? policyRuleText(event.rule) : `the grant of ${event.grant?.id}`}`;
  }
}
