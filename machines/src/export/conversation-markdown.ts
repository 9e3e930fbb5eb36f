import type {
  AssistantItem,
  ConversationContext,
  NoticeItem,
  ToolCallItem,
  UserItem,
} from '../conversation-context.ts';
import { policyRuleText } from '../policy-rule-text.ts';

/** What the transcript's heading says besides the conversation itself. */
export interface MarkdownExportInfo {
  conversationId: string;
  /** The list's title (a rename, or the first message); null for an untitled conversation. */
  title: string | null;
  /** When the export was made (epoch ms): stamped by the caller, so the function stays pure. */
  exportedAt: number;
}

const iso = (at: number) => new Date(at).toISOString();

/** A fence longer than any run of backticks in `text`, so the block cannot be closed early. */
function fenced(text: string, language = ''): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}`;
}

const json = (value: unknown) => fenced(JSON.stringify(value, null, 2), 'json');

/** Text quoted line by line, so it reads as a quotation whatever it holds. */
const quoted = (text: string) =>
  text
    .split('\n')
    .map((line) => (line.length > 0 ? `> ${line}` : '>'))
    .join('\n');

function userSection(item: UserItem): string {
  // The images themselves stay on the server; the transcript names each by its type and hash.
  const images = (item.images ?? []).map(
    (image) => `- Image: ${image.mediaType}, ${image.bytes} bytes, sha256 \`${image.sha256}\``,
  );
  const attached = images.length > 0 ? `\n\n${images.join('\n')}` : '';
  return `## You\n\n_${iso(item.at)}_\n\n${item.text}${attached}`;
}

function assistantSection(item: AssistantItem): string {
  const heading = `## Claude${item.model ? ` (${item.model})` : ''}`;
  const parts: string[] = [heading];
  for (const block of item.blocks) {
    if (block.type === 'text' && block.text.trim().length > 0) parts.push(block.text);
    else if (block.type === 'thinking' && block.thinking.trim().length > 0) {
      parts.push(`**Thinking**\n\n${quoted(block.thinking)}`);
    } else if (block.type === 'redacted_thinking') parts.push('_(redacted thinking)_');
  }
  if (item.status === 'stopped') parts.push('_(stopped by the person)_');
  if (item.status === 'failed') {
    parts.push(`_(failed: ${item.error?.message ?? 'the answer did not finish'})_`);
  }
  return parts.join('\n\n');
}

function decisionLine(call: ToolCallItem): string {
  const { decision } = call;
  switch (decision.status) {
    case 'pending':
      return '**Decision:** waiting for a decision';
    case 'approved':
      if (decision.rule) return `**Decision:** approved by ${policyRuleText(decision.rule)}`;
      if (decision.grant) {
        return `**Decision:** approved by "Always allow everywhere" (granted at entry ${decision.grant.seq} of conversation ${decision.grant.conversationId})`;
      }
      return decision.by === 'policy'
        ? '**Decision:** approved by "Always allow"'
        : `**Decision:** approved${decision.scope === 'always' ? ' (always allow this tool)' : decision.scope === 'everywhere' ? ' (always allow this tool everywhere)' : ''}${decision.editedInput ? ', with edited arguments' : ''}`;
    case 'denied':
      if (decision.rule) return `**Decision:** denied by ${policyRuleText(decision.rule)}`;
      return `**Decision:** denied${decision.reason ? `, reason: ${decision.reason}` : ' (no reason given)'}`;
    case 'cancelled':
      return '**Decision:** none, the turn was stopped first';
    case 'expired':
      return '**Decision:** none, the approval expired first';
  }
}

function toolSection(call: ToolCallItem): string {
  const parts = [`### Tool call: ${call.name} (\`${call.toolUseId}\`)`];
  parts.push(`**Arguments**\n\n${json(call.input)}`);
  parts.push(decisionLine(call));
  if (call.decision.status === 'approved' && call.decision.editedInput) {
    parts.push(`**Edited arguments**\n\n${json(call.decision.editedInput)}`);
  }
  const { run } = call;
  if (run) {
    if (run.status === 'completed' && run.result) {
      parts.push(
        `**Result**${run.result.isError ? ' (the tool reported an error)' : ''}\n\n${fenced(run.result.content, 'text')}`,
      );
      const { file } = run.result;
      if (file) {
        parts.push(
          `**File written:** \`${file.path}\`, ${file.bytes} bytes, sha256 \`${file.sha256}\``,
        );
      }
    } else if (run.status === 'failed') {
      parts.push(`**Result:** failed: ${run.error ?? 'unknown error'}`);
    } else if (run.status === 'cancelled') {
      parts.push('**Result:** cancelled');
    } else {
      parts.push(`**Result:** ${run.status}`);
    }
  }
  return parts.join('\n\n');
}

function noticeSection(notice: NoticeItem): string {
  if (notice.code === 'always_allow_granted_everywhere') {
    return `_"Always allow" granted for ${notice.toolName} in every conversation._`;
  }
  return notice.code === 'always_allow_granted'
    ? `_"Always allow" granted for ${notice.toolName}._`
    : `_"Always allow" revoked for ${notice.toolName}._`;
}

/**
 * A conversation as a readable Markdown transcript: the person's messages, Claude's answers (and
 * thinking), each tool call with its arguments, the decision and its reason, the result, and the
 * file a tool wrote with its size and sha256. Built from the folded context alone, so the server
 * and a page produce the same text for the same log.
 */
export function conversationMarkdown(
  context: ConversationContext,
  info: MarkdownExportInfo,
): string {
  const title = context.title ?? info.title ?? 'Untitled conversation';
  const sections = [
    `# ${title.replace(/\s+/g, ' ')}`,
    `_Exported from Tollgate on ${iso(info.exportedAt)}; conversation \`${info.conversationId}\`._`,
  ];
  for (const item of context.items) {
    switch (item.kind) {
      case 'user':
        sections.push(userSection(item));
        break;
      case 'assistant':
        sections.push(assistantSection(item));
        break;
      case 'tool':
        sections.push(toolSection(item));
        break;
      case 'notice':
        sections.push(noticeSection(item));
        break;
    }
  }
  return `${sections.join('\n\n')}\n`;
}
