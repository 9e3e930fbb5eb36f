import { describe, expect, it } from 'vitest';
import { MACHINE_VERSION } from './conversation-machine.ts';
import { thinkingFits } from './conversation-settings.ts';
import { replay } from './replay.ts';
import { messagesViolations, thinkingViolations } from './test-support/anthropic-request-rules.ts';
import { startConversation } from './test-support/conversation-harness.ts';
import { eventsFor } from './test-support/generated-paths.ts';
import { findToolCall } from './timeline-queries.ts';

/** A small seeded generator, so a failing walk can be replayed from its seed. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Shortest paths reach every state; these long random walks reach deep mixes of them (a stopped
// turn of whitespace, a denial after a revoked grant, a retry after a cut tool call…). Whatever
// happened, every request the machine hands the Claude actor must be one the real API accepts,
// and every tool it runs must have been approved.
describe('requests built along random walks', () => {
  it('are always valid Anthropic requests, and only approved calls run', () => {
    const WALKS = 300;
    const STEPS = 40;
    let requests = 0;
    let thinking = 0;
    let unfit = 0;
    for (let seed = 1; seed <= WALKS; seed++) {
      const random = mulberry32(seed);
      const c = startConversation();
      for (let step = 0; step < STEPS; step++) {
        const choices = eventsFor(c.actor.getSnapshot());
        const event = choices[Math.floor(random() * choices.length)];
        if (event) c.send(event);
      }
      for (const request of c.claudeRequests) {
        expect({ seed, violations: messagesViolations(request.messages) }).toEqual({
          seed,
          violations: [],
        });
        expect(request.messages.at(-1)?.role).toBe('user');
        // Thinking goes on exactly when the API would take it: never in a loop begun without.
        const on = { type: 'enabled', budget_tokens: 2048 };
        expect({ seed, fits: thinkingFits(request.messages) }).toEqual({
          seed,
          fits: thinkingViolations(on, request.messages).length === 0,
        });
        if (!thinkingFits(request.messages)) unfit++;
        else if (request.settings?.thinkingBudget != null) thinking++;
      }
      for (const run of c.toolRequests) {
        expect(findToolCall(c.context(), run.toolUseId)?.decision.status).toBe('approved');
      }
      requests += c.claudeRequests.length;
      const entries = c.events.map((event, i) => ({
        conversationId: 'walk',
        seq: i + 1,
        event,
        at: i,
        machineVersion: MACHINE_VERSION,
      }));
      expect(replay(entries).context).toEqual(c.context());
    }
    // The walks must actually exercise Claude calls, not idle about.
    expect(requests).toBeGreaterThan(WALKS * 2);
    // And the person's settings, thinking on, reach many of them.
    expect(thinking).toBeGreaterThan(WALKS / 2);
    expect(unfit).toBeGreaterThan(0);
  }, 60_000);
});
