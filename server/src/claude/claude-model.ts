import type { Model } from '@anthropic-ai/sdk/resources/messages';

// Which model ids Tollgate accepts: Claude 3.7 or newer, on the Anthropic API or on Bedrock.

/**
 * The newest Sonnet the installed SDK lists (a test reads the SDK's `Model` union to keep this
 * true when the SDK is upgraded).
 */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5' satisfies Model;

/** Retired at the Anthropic API although 3.7 or newer: asking for them is a 404 there. */
const RETIRED: Record<string, string> = {
  'claude-3-7-sonnet': '2026-02-19',
  'claude-sonnet-4': '2026',
  'claude-opus-4': '2026',
  'claude-opus-4-1': '2026',
};

export interface ParsedModel {
  /** The id to send, unchanged. */
  id: string;
  family: string;
  version: [number, number];
  /** A Bedrock inference-profile prefix such as `us`, `eu` or `global`, if any. */
  profile: string | null;
}

export type ModelCheck = { ok: true; model: ParsedModel } | { ok: false; message: string };

const DATE = /^\d{8}$/;

/** `claude-sonnet-4-5-20250929`, `claude-opus-5`, `claude-3-7-sonnet-20250219`, `claude-mythos-preview`. */
function parseAnthropicId(id: string): Omit<ParsedModel, 'profile' | 'id'> | null {
  const parts = id.split('-');
  if (parts[0] !== 'claude' || parts.length < 3) return null;
  const rest = parts.slice(1).filter((part, i, all) => !(i === all.length - 1 && DATE.test(part)));
  const numbers = rest.filter((part) => /^\d+$/.test(part)).map(Number);
  const words = rest.filter((part) => !/^\d+$/.test(part));
  if (words.length === 2 && words[1] === 'preview' && numbers.length === 0) {
    // A preview names no version; it is newer than every numbered release.
    return { family: words[0] ?? '', version: [Number.POSITIVE_INFINITY, 0] };
  }
  if (words.length !== 1 || numbers.length < 1 || numbers.length > 2) return null;
  return { family: words[0] ?? '', version: [numbers[0] ?? 0, numbers[1] ?? 0] };
}

function atLeast37([major, minor]: [number, number]): boolean {
  return major > 3 || (major === 3 && minor >= 7);
}

/** `variable` names where the id came from, for the message: CLAUDE_MODEL or CLAUDE_MODELS. */
export function checkModel(
  id: string,
  provider: 'anthropic' | 'bedrock',
  variable = 'CLAUDE_MODEL',
): ModelCheck {
  let profile: string | null = null;
  let anthropicId = id;
  if (provider === 'bedrock') {
    // [profile.]anthropic.claude-…-v1:0
    const match = /^(?:([a-z]+)\.)?anthropic\.(claude-[a-z0-9-]+?)(?:-v\d+(?::\d+)?)?$/.exec(id);
    if (!match) {
      return {
        ok: false,
        message: `${variable}="${id}" is not a Bedrock Claude model id (expected e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0).`,
      };
    }
    profile = match[1] ?? null;
    anthropicId = match[2] ?? '';
  }
  const parsed = parseAnthropicId(anthropicId);
  if (!parsed) {
    return {
      ok: false,
      message: `${variable}="${id}" is not a Claude model id Tollgate recognises.`,
    };
  }
  if (!atLeast37(parsed.version)) {
    return {
      ok: false,
      message: `${variable}="${id}" is older than Claude 3.7; Tollgate needs Claude 3.7 or newer (default: ${DEFAULT_ANTHROPIC_MODEL}).`,
    };
  }
  const base = anthropicId.replace(/-\d{8}$/, '');
  const retired = RETIRED[base];
  if (provider === 'anthropic' && retired) {
    return {
      ok: false,
      message: `${variable}="${id}" was retired at the Anthropic API (${retired}); choose a current model such as ${DEFAULT_ANTHROPIC_MODEL}.`,
    };
  }
  return { ok: true, model: { id, profile, ...parsed } };
}
