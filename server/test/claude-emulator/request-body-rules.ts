// The body rules of POST /v1/messages beyond `messages` (which anthropic-request-rules.ts judges),
// worded like the API's own 400 messages. Each rule is one the real API enforces; being laxer
// here would let product code pass tests and then fail against Anthropic.

import {
  messagesViolations,
  thinkingViolations as thinkingHistoryViolations,
} from '../../../machines/src/test-support/anthropic-request-rules.ts';
import { imageBlockViolations } from './image-block-rules.ts';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MIN_THINKING_BUDGET = 1024;

/**
 * The top-level fields of MessageCreateParams in @anthropic-ai/sdk 1.12.0
 * (resources/messages/messages.ts, MessageCreateParamsBase) minus the two the SDK strips before
 * sending (`user_profile_id`, `workspace_id`). The API rejects any other field.
 */
const KNOWN_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'metadata',
  'output_config',
  'service_tier',
  'speed',
  'stop_sequences',
  'stream',
  'system',
  'thinking',
  'tool_choice',
  'tools',
]);

/** Removed at anthropic-version 2026-10-21, even at their default values (claude-wire.md). */
const SAMPLING_FIELDS = ['temperature', 'top_p', 'top_k'];

const THINKING_TYPES = ['enabled', 'disabled', 'adaptive', 'between_tools'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function modelViolations(body: Json): string[] {
  if (!('model' in body)) return ['model: Field required'];
  if (typeof body.model !== 'string') return ['model: Input should be a valid string'];
  if (body.model === '') return ['model: String should have at least 1 character'];
  return [];
}

function maxTokensViolations(body: Json): string[] {
  if (!('max_tokens' in body)) return ['max_tokens: Field required'];
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
    return ['max_tokens: Input should be a valid integer'];
  }
  if (body.max_tokens < 1) return ['max_tokens: Input should be greater than or equal to 1'];
  return [];
}

function systemViolations(body: Json): string[] {
  if (!('system' in body) || typeof body.system === 'string') return [];
  if (!Array.isArray(body.system)) return ['system: Input should be a valid string or list'];
  return body.system.flatMap((block: unknown, i) => {
    if (!isObject(block) || block.type !== 'text')
      return [`system.${i}.type: Input should be 'text'`];
    if (typeof block.text !== 'string' || block.text === '') {
      return [`system.${i}: text content blocks must be non-empty`];
    }
    return [];
  });
}

function toolViolations(body: Json): string[] {
  if (!('tools' in body)) return [];
  if (!Array.isArray(body.tools)) return ['tools: Input should be a valid list'];
  const problems: string[] = [];
  const names = new Set<string>();
  body.tools.forEach((tool: unknown, i) => {
    if (!isObject(tool)) {
      problems.push(`tools.${i}: Input should be a valid dictionary`);
      return;
    }
    // A `type` other than "custom" names a server or client tool version (web_search_…, bash_…):
    // those carry no input_schema, but their names share the namespace.
    const custom = tool.type === undefined || tool.type === 'custom';
    const at = custom ? `tools.${i}.custom` : `tools.${i}`;
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) {
      problems.push(`${at}.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
    } else if (names.has(tool.name)) {
      problems.push('tools: Tool names must be unique.');
    } else {
      names.add(tool.name);
    }
    if (!custom) return;
    if (!isObject(tool.input_schema)) {
      problems.push(`${at}.input_schema: Field required`);
    } else if (tool.input_schema.type !== 'object') {
      problems.push(`${at}.input_schema.type: Input should be 'object'`);
    }
  });
  return problems;
}

function thinkingViolations(body: Json): string[] {
  if (!('thinking' in body)) return [];
  const thinking = body.thinking;
  if (!isObject(thinking)) return ['thinking: Input should be a valid dictionary'];
  if (typeof thinking.type !== 'string' || !THINKING_TYPES.includes(thinking.type)) {
    return [
      `thinking: Input tag '${String(thinking.type)}' found using 'type' does not match any of the expected tags: ${THINKING_TYPES.map((t) => `'${t}'`).join(', ')}`,
    ];
  }
  if (thinking.type !== 'enabled') return [];
  const budget = thinking.budget_tokens;
  if (budget === undefined) return ['thinking.enabled.budget_tokens: Field required'];
  if (typeof budget !== 'number' || !Number.isInteger(budget)) {
    return ['thinking.enabled.budget_tokens: Input should be a valid integer'];
  }
  if (budget < MIN_THINKING_BUDGET) {
    return [
      `thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`,
    ];
  }
  if (typeof body.max_tokens === 'number' && body.max_tokens <= budget) {
    return ['`max_tokens` must be greater than `thinking.budget_tokens`'];
  }
  // Manual thinking cannot be combined with a tool_choice that forces a tool.
  const choice = isObject(body.tool_choice) ? body.tool_choice.type : undefined;
  if (choice === 'any' || choice === 'tool') {
    return ['Thinking may not be enabled when tool_choice forces tool use.'];
  }
  // One thinking configuration per assistant turn: a tool-use loop begun without thinking.
  return thinkingHistoryViolations(thinking, body.messages);
}

function fieldViolations(body: Json, allowUnknownFields: boolean): string[] {
  const problems: string[] = [];
  for (const field of Object.keys(body)) {
    if (SAMPLING_FIELDS.includes(field)) {
      problems.push(
        `${field}: is not supported with anthropic-version 2026-10-21; remove it from the request`,
      );
    } else if (!allowUnknownFields && !KNOWN_FIELDS.has(field)) {
      problems.push(`${field}: Extra inputs are not permitted`);
    }
  }
  if ('stream' in body && typeof body.stream !== 'boolean') {
    problems.push('stream: Input should be a valid boolean');
  }
  return problems;
}

/**
 * Every reason the API would answer this body with 400, in the order it reports them. An empty
 * list means the body is acceptable. `beta` requests (`?beta=true`) may carry beta-only fields, so
 * unknown fields are not judged there.
 */
export function requestBodyViolations(body: unknown, options: { beta: boolean }): string[] {
  if (!isObject(body)) return ['Input should be a valid dictionary'];
  return [
    ...modelViolations(body),
    ...maxTokensViolations(body),
    ...('messages' in body ? messagesViolations(body.messages) : ['messages: Field required']),
    ...(Array.isArray(body.messages) ? imageBlockViolations(body.messages) : []),
    ...systemViolations(body),
    ...toolViolations(body),
    ...thinkingViolations(body),
    ...fieldViolations(body, options.beta),
  ];
}
