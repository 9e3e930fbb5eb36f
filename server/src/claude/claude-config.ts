import { checkModel, DEFAULT_ANTHROPIC_MODEL } from './claude-model.ts';
import { SYSTEM_PROMPT } from './system-prompt.ts';

// Reads how to reach Claude from the environment. A missing credential is not a start-up error:
// the app starts and says plainly what to configure. A bad value (an old model, a bad number) is.

export interface ClaudeSettings {
  provider: 'anthropic' | 'bedrock';
  /** The default model: CLAUDE_MODEL, else the first of CLAUDE_MODELS, else the newest Sonnet. */
  model: string;
  /** The models a conversation may choose (CLAUDE_MODELS, or just `model`), `model` among them. */
  models: string[];
  maxTokens: number;
  /** The default extended thinking budget in tokens, or null for no extended thinking. */
  thinkingBudget: number | null;
  /** The default system prompt: SYSTEM_PROMPT, else Tollgate's own (system-prompt.ts). */
  systemPrompt: string;
  anthropic: { apiKey: string | null; baseURL: string | null };
  /** `apiKey` is a Bedrock API key; without one the SDK signs with the AWS credential chain. */
  bedrock: { region: string | null; apiKey: string | null; baseURL: string | null };
}

export type ClaudeConfig =
  | { status: 'ready'; settings: ClaudeSettings }
  /** Valid settings, but no way to authenticate yet: the page tells the person what to set. */
  | { status: 'unconfigured'; settings: ClaudeSettings; missing: string }
  | { status: 'invalid'; problems: string[] };

type Env = Record<string, string | undefined>;

const DEFAULT_MAX_TOKENS = 16_000;

function positiveInt(env: Env, name: string, problems: string[]): number | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    problems.push(`${name}="${raw}" must be a positive whole number.`);
    return null;
  }
  return value;
}

export function readClaudeConfig(env: Env): ClaudeConfig {
  const problems: string[] = [];
  const providerRaw = (env.CLAUDE_PROVIDER ?? 'anthropic').trim().toLowerCase();
  if (providerRaw !== 'anthropic' && providerRaw !== 'bedrock') {
    return {
      status: 'invalid',
      problems: [`CLAUDE_PROVIDER="${env.CLAUDE_PROVIDER}" must be "anthropic" or "bedrock".`],
    };
  }
  const provider = providerRaw;
  const modelRaw = env.CLAUDE_MODEL?.trim();
  // CLAUDE_MODELS: the models a conversation may choose, comma-separated, each held to the same
  // rule as CLAUDE_MODEL; the default is CLAUDE_MODEL if set (one of them), else the first.
  const listRaw = env.CLAUDE_MODELS?.trim();
  const list = [
    ...new Set(
      (listRaw ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
  if (listRaw && list.length === 0) problems.push('CLAUDE_MODELS lists no model.');
  if (provider === 'bedrock' && !modelRaw && list.length === 0) {
    problems.push(
      'CLAUDE_MODEL is required with CLAUDE_PROVIDER=bedrock (or CLAUDE_MODELS): Bedrock ids depend on your region and inference profiles, e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0.',
    );
  }
  const model = modelRaw || list[0] || DEFAULT_ANTHROPIC_MODEL;
  if (list.length > 0) {
    for (const id of list) {
      const check = checkModel(id, provider, 'CLAUDE_MODELS');
      if (!check.ok) problems.push(check.message);
    }
    if (modelRaw && !list.includes(modelRaw)) {
      problems.push(
        `CLAUDE_MODEL="${modelRaw}" is not one of CLAUDE_MODELS (${list.join(', ')}): set it to the default among them, or unset it for the first.`,
      );
    }
  } else {
    const check = checkModel(model, provider);
    if (!check.ok && (modelRaw || provider === 'anthropic')) problems.push(check.message);
  }

  const maxTokens = positiveInt(env, 'CLAUDE_MAX_TOKENS', problems) ?? DEFAULT_MAX_TOKENS;
  const thinkingBudget = positiveInt(env, 'CLAUDE_THINKING_BUDGET', problems);
  if (thinkingBudget !== null && (thinkingBudget < 1024 || thinkingBudget >= maxTokens)) {
    problems.push(
      `CLAUDE_THINKING_BUDGET=${thinkingBudget} must be at least 1024 and below CLAUDE_MAX_TOKENS (${maxTokens}).`,
    );
  }
  if (problems.length > 0) return { status: 'invalid', problems };

  const settings: ClaudeSettings = {
    provider,
    model,
    models: list.length > 0 ? list : [model],
    maxTokens,
    thinkingBudget,
    systemPrompt: env.SYSTEM_PROMPT?.trim() || SYSTEM_PROMPT,
    anthropic: {
      apiKey: env.ANTHROPIC_API_KEY?.trim() || null,
      baseURL: env.ANTHROPIC_BASE_URL?.trim() || null,
    },
    bedrock: {
      region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || null,
      apiKey: env.AWS_BEARER_TOKEN_BEDROCK?.trim() || null,
      baseURL: env.ANTHROPIC_BEDROCK_BASE_URL?.trim() || null,
    },
  };
  if (provider === 'anthropic' && settings.anthropic.apiKey === null) {
    return {
      status: 'unconfigured',
      settings,
      missing:
        'Set ANTHROPIC_API_KEY (in .env or the environment) and restart, or choose CLAUDE_PROVIDER=bedrock.',
    };
  }
  // Bedrock credentials, a Bedrock API key or else the standard AWS chain (environment, profile,
  // SSO, instance role), only the first request can prove; the region is the one thing we can check.
  if (provider === 'bedrock' && settings.bedrock.region === null) {
    return { status: 'unconfigured', settings, missing: 'Set AWS_REGION for Bedrock and restart.' };
  }
  return { status: 'ready', settings };
}
