// Model ids the API no longer serves (claude-wire.md, "Models"). The real API answers them with
// 404 not_found_error, which is how a stale model id in config shows up in production.

const RETIRED = [
  /^claude-instant/,
  /^claude-2(?:[.-]|$)/,
  /^claude-3-/, // Claude 3 Haiku/Sonnet/Opus, 3.5 and 3.7
  /^claude-(?:sonnet|opus)-4-20250514$/,
  /^claude-opus-4-1(?:-|$)/,
];

export function isRetiredModel(model: string): boolean {
  return RETIRED.some((pattern) => pattern.test(model));
}
