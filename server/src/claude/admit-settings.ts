import { type CommandEvent, type CommandRejection, settingsRejection } from '@tollgate/machines';
import type { ClaudeConfig } from './claude-config.ts';
import { claudeOptions } from './claude-request.ts';

/**
 * The runtime's `admit` for Claude's settings: a conversation may choose only a model this server
 * offers (CLAUDE_MODELS) and a thinking budget below its CLAUDE_MAX_TOKENS. Other commands pass.
 */
export function admitSettings(config: ClaudeConfig) {
  return (command: CommandEvent): CommandRejection | null => {
    if (command.type !== 'conversation.settings_changed') return null;
    if (config.status === 'invalid') {
      return {
        code: 'settings_not_offered',
        message: 'Claude is not configured on this server, so it offers no settings.',
      };
    }
    return settingsRejection(command, claudeOptions(config.settings));
  };
}
