import Anthropic from '@anthropic-ai/sdk';
import type { ClaudeSettings } from './claude-config.ts';
import { createNodeHttpFetch } from './node-http-fetch.ts';
import { readProxySettings } from './proxy-settings.ts';

/** The one thing Tollgate needs from either SDK client: creating a message, streamed. */
export interface ClaudeClient {
  messages: Pick<Anthropic['messages'], 'create'>;
}

/**
 * The official SDK client for the configured provider, moving its bytes over `node:http`
 * (node-http-fetch.ts says why), through the proxy HTTPS_PROXY names unless NO_PROXY says
 * otherwise (proxy-settings.ts; app-config.ts refuses to start on a value it cannot use). The
 * SDK retries 408/409/429/5xx itself (twice by default, honouring retry-after); a stream that
 * already answered 200 is never retried. The Bedrock SDK is loaded only when Bedrock is the
 * provider: it brings the AWS SDK's signing and credential code, which an instance that talks to
 * the Anthropic API would carry in its memory for nothing (docs/performance.md).
 */
export async function createClaudeClient(
  settings: ClaudeSettings,
  env: Record<string, string | undefined> = process.env,
): Promise<ClaudeClient> {
  const proxy = readProxySettings(env);
  if (!proxy.ok) throw new Error(proxy.problems.join(' '));
  const fetch = createNodeHttpFetch({ proxy: proxy.proxy });
  if (settings.provider === 'bedrock') {
    const { AnthropicBedrock } = await import('@anthropic-ai/bedrock-sdk');
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
