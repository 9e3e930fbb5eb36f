import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { createProgressTap, SDK_PROGRESS_EVERY_MS, sdkProgressEvery } from './progress-tap.ts';

const progress = (progressToken: number, n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken, progress: n, total: 10 },
});

describe('the progress tap', () => {
  it('delivers every progress to its call and shows the SDK one a second, until the response', () => {
    let clock = 0;
    const tap = createProgressTap(() => clock);
    const delivered: unknown[] = [];
    const call = tap.register((params) => delivered.push(params.progress));
    const request = tap.sent({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'write_file', _meta: { ...call.meta, progressToken: 7 } },
    });
    // The hub's marker never leaves the process.
    expect(request).toEqual({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'write_file', _meta: { progressToken: 7 } },
    });

    const shown: boolean[] = [];
    for (const [n, at] of [
      0,
      100,
      200,
      SDK_PROGRESS_EVERY_MS,
      SDK_PROGRESS_EVERY_MS + 1,
    ].entries()) {
      clock = at;
      shown.push(tap.received(progress(7, n)));
    }
    expect(delivered).toEqual([0, 1, 2, 3, 4]);
    expect(shown).toEqual([true, false, false, true, false]);

    // The response ends the routing: later progress with that token is the SDK's business.
    expect(tap.received({ jsonrpc: '2.0', id: 7, result: { content: [] } })).toBe(true);
    expect(tap.received(progress(7, 5))).toBe(true);
    expect(delivered).toHaveLength(5);
    call.release();
  });

  it('passes on progress it does not route', () => {
    const tap = createProgressTap(() => 0);
    expect(tap.received(progress(99, 1))).toBe(true);
    expect(tap.received(progress(99, 2))).toBe(true);
  });

  it('shows a call with a short timeout its progress often enough to keep it alive', () => {
    expect(sdkProgressEvery(5 * 60_000)).toBe(SDK_PROGRESS_EVERY_MS);
    expect(sdkProgressEvery(600)).toBe(60);
    let clock = 0;
    const tap = createProgressTap(() => clock);
    const call = tap.register(() => undefined, sdkProgressEvery(600));
    tap.sent({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'slow', _meta: { ...call.meta, progressToken: 1 } },
    });
    const shown = [0, 30, 60, 90, 120].map((at, n) => {
      clock = at;
      return tap.received(progress(1, n));
    });
    expect(shown).toEqual([true, false, true, false, true]);
  });
});
