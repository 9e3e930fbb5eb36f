// The emulator scripts of the forwarding benchmark: one text block streamed as exactly `deltas`
// stamped text deltas, `delayMs` apart.
import type { StreamScript } from '../test/claude-emulator/claude-emulator.ts';
import { seededRandom } from '../test/claude-emulator/seeded-random.ts';
import { splitText } from '../test/claude-emulator/split-points.ts';
import { buildStreamEvents } from '../test/claude-emulator/stream-events.ts';

/**
 * The emulator cuts a text into deltas at seeded random points; this finds the text length that
 * the seed cuts into exactly `deltas` pieces (the stamps then replace each piece's text).
 */
export function stampedScript(deltas: number, delayMs: number, seed: number): StreamScript {
  const pieces = splitText('x'.repeat(deltas * 8), seededRandom(seed)).slice(0, deltas);
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const script: StreamScript = {
    kind: 'stream',
    blocks: [{ type: 'text', text: 'x'.repeat(length) }],
    stopReason: 'end_turn',
    seed,
    eventDelayMs: delayMs,
    stampDeltas: true,
  };
  const events = buildStreamEvents(script, { messageId: 'm', model: 'm', defaultInputTokens: 1 });
  const count = events.filter((event) => event.event === 'content_block_delta').length;
  if (count !== deltas) throw new Error(`seed ${seed} gives ${count} deltas, not ${deltas}`);
  return script;
}
