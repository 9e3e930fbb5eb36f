import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import Anthropic from '@anthropic-ai/sdk';
import type { ClaudeSettings } from './claude-config.ts';
import { createNodeHttpFetch } from './node-http-fetch.ts';

/** The one thing Tollgate needs from either SDK client: creating a message, streamed. */
export interface ClaudeClient {
  messages: Pick<Anthropic['messages'], 'create'>;
}

/**
 * The official SDK client for the configured provider, moving its bytes over `node:http`
 * (node-http-fetch.ts says why). The SDK retries 408/409/429/5xx itself (twice by default,
 * honouring retry-after); a stream that already answered 200 is never retried.
 */
export function createClaudeClient(settings: ClaudeSettings): ClaudeClient {
  const fetch = createNodeHttpFetch();
  if (settings.provider === 'bedrock') {
    const { region, apiKey, baseURL } = settings.bedrock;
    return new AnthropicBedrock({
      awsRegion: region ?? undefined,
      fetch,
      ...(apiKey ? { apiKey } : {}),
      ...(baseURL ? { baseURL } : {}),
    });
  }
  return new Anthropic({
    apiKey: settings.anthropic.apiKey,
    fetch,
    ...(settings.anthropic.baseURL ? { baseURL: settings.anthropic.baseURL } : {}),
  });
}
