// The script a test hands the emulator: what one valid request is answered with. Kept apart from
// the server so the pure event builder can use these types without importing node:http.

export type ScriptBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string };

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

export interface ScriptUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export interface StreamScript {
  kind: 'stream';
  blocks: ScriptBlock[];
  stopReason: StopReason;
  usage?: ScriptUsage;
  /** seed for splitting text and partial_json into deltas at arbitrary points (inside keys, strings, escapes; never inside a UTF-16 surrogate pair) and for splitting the SSE bytes across TCP writes at arbitrary points (even inside a multi-byte UTF-8 char) */
  seed?: number;
  /** ms to wait between SSE events (default 0) */
  eventDelayMs?: number;
  /** after this many SSE events, send `event: error` with overloaded_error and end the response */
  errorAfterEvents?: number;
  /** after this many SSE events, destroy the socket (cut connection) */
  cutAfterEvents?: number;
  /** after this many SSE events, stop sending and wait until `release()` is called or the client disconnects */
  holdAfterEvents?: number;
  /** benchmarks: each text delta's text becomes its send time (stamp-deltas.ts), each event one write */
  stampDeltas?: boolean;
}

export interface HttpErrorScript {
  kind: 'http-error';
  status: number;
  type: string;
  message: string;
  retryAfterMs?: number;
  headers?: Record<string, string>;
}

export type ScriptedResponse = StreamScript | HttpErrorScript;

/** The commonest script: an answer of one text block that ends the turn. */
export function textAnswer(text: string, usage?: ScriptUsage): StreamScript {
  return {
    kind: 'stream',
    blocks: [{ type: 'text', text }],
    stopReason: 'end_turn',
    ...(usage ? { usage } : {}),
  };
}
