import type { ToolInfo } from '@tollgate/machines';
import { formatBytes, utf8Bytes } from './format-bytes.ts';
import type { Locale, Translate } from './i18n/translator.ts';

// What a tool call will do, in one plain sentence, so a person can decide without reading JSON.
// The built-in file tools get their own wording; any other tool is named with its MCP server.

export interface ToolCallDescription {
  name: string;
  /** Claude's arguments; partial while Claude is still writing the call. */
  input: Record<string, unknown>;
  /** False while the arguments are still streaming: sizes are not known yet. */
  complete: boolean;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

/** The tool's display name: its title from the MCP server, else its name. */
export function toolTitle(name: string, tool: ToolInfo | undefined): string {
  return tool?.title ?? name;
}

export function summarizeToolCall(
  call: ToolCallDescription,
  tool: ToolInfo | undefined,
  t: Translate,
  locale: Locale,
): string {
  const path = text(call.input.path);
  switch (call.name) {
    case 'write_file': {
      if (path === null) return t('summaryWriting', { path: '…' });
      const content = typeof call.input.content === 'string' ? call.input.content : null;
      if (!call.complete || content === null) return t('summaryWriting', { path: `${path}…` });
      const size = formatBytes(utf8Bytes(content), locale);
      return t(call.input.overwrite === true ? 'summaryOverwrite' : 'summaryWrite', { path, size });
    }
    case 'read_file':
      return t('summaryRead', { path: path ?? '…' });
    case 'list_files':
      return path === null || path === '.' ? t('summaryListRoot') : t('summaryList', { path });
    default:
      return t('summaryOther', {
        tool: toolTitle(call.name, tool),
        server: tool?.server ?? t('unknownServer'),
      });
  }
}
