import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import Anthropic from '@anthropic-ai/sdk';
import type { ClaudeSettings } from './claude-config.ts';

/** The one thing Tollgate needs from either SDK client: creating a message, streamed. */
export interface ClaudeClient {
  messages: Pick<Anthropic['messages'], 'create'>;
}

/**
 * The official SDK client for the configured provider. The SDK retries 408/409/429/5xx itself
 * (twice by default, honouring retry-after); a stream that already answered 200 is never retried.
 */
export function createClaudeClient(settings: ClaudeSettings): ClaudeClient {
  if (settings.provider === 'bedrock') {
    return new AnthropicBedrock({ awsRegion: settings.bedrock.region ?? undefined });
  }
  return new Anthropic({
    apiKey: settings.anthropic.apiKey,
    ...(settings.anthropic.baseURL ? { baseURL: settings.anthropic.baseURL } : {}),
  });
}
