import type { ClaudeStatus } from '@tollgate/machines';
import type { ClaudeConfig } from './claude-config.ts';

/** What the page may know about Claude's configuration: never a key, only what to do. */
export function claudeStatus(config: ClaudeConfig): ClaudeStatus {
  switch (config.status) {
    case 'ready':
      return {
        status: 'ready',
        provider: config.settings.provider,
        model: config.settings.model,
        message: null,
      };
    case 'unconfigured':
      return {
        status: 'unconfigured',
        provider: config.settings.provider,
        model: config.settings.model,
        message: config.missing,
      };
    case 'invalid':
      return { status: 'invalid', provider: null, model: null, message: config.problems.join(' ') };
  }
}
