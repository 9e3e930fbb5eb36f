import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createHandlingSlices, type SliceLoop } from '../../src/gateway/handling-slices.ts';
import { createFakeRegistry, createFakeRuntime } from './support/fake-registry.ts';
import { createTestGateway } from './support/gateway-harness.ts';

/** Every promise job queued so far, and those they queue, has run (none of them waits on I/O). */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Slices on a loop a test turns by hand, and messages that take the time they are given on its
 * clock. The test sets the clock (`loop.at`); `turn()` runs what was left for the next turn, one
 * callback at a time with the promise jobs each queues run before the next, as Node runs its
 * immediates; `started` lists the messages whose handling has started, in order.
 */
function slicesByHand(minMs: number, maxMs: number) {
  let due: Array<() => void> = [];
  const loop: SliceLoop & { at: number } = {
    at: 0,
    now: () => loop.at,
    nextTurn: (run) => {
      due.push(run);
    },
  };
  const slices = createHandlingSlices(loop, minMs, maxMs);
  const started: string[] = [];
  return {
    loop,
    slices,
    started,
    async turn() {
      const now = due;
      due = [];
      for (const run of now) {
        run();
        await settled();
      }
    },
    /** `then` runs as part of the message's handling: a connection's next message comes due. */
    start(name: string, takesMs: number, then?: () => void) {
      const run = () => {
        started.push(name);
        loop.at += takesMs;
        then?.();
      };
      const placed = slices.place();
      if (placed) placed.then((go) => go && run());
      else run();
    },
  };
}

describe('the slices of message handling', () => {
  it('start messages at once until the slice has used its time, the rest in the next turn, in order', async () => {
    const { turn, started, start } = slicesByHand(5, 5);
    start('a', 2);
    start('b', 2);
    start('c', 2);
    start('d', 5);
    start('e', 1);
    await settled();
    expect(started).toEqual(['a', 'b', 'c']);

    await turn();
    // d took its slice's whole time: e waits for another turn, and so does a message that
    // comes now.
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    start('f', 1);
    await settled();
    expect(started).toEqual(['a', 'b', 'c', 'd']);

    await turn();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('start a message that comes due while others wait after them, even with time left', async () => {
    const { turn, started, start } = slicesByHand(5, 5);
    start('a', 5);
    start('b', 1, () => start('b2', 1));
    start('c', 1);
    await settled();
    expect(started).toEqual(['a']);
    // b's slice has time for b2, but c was waiting first.
    await turn();
    expect(started).toEqual(['a', 'b', 'c']);
    await turn();
    expect(started).toEqual(['a', 'b', 'c', 'b2']);
  });

  it('keep their order when a slice runs out before the first in line has started', async () => {
    const { turn, started, start } = slicesByHand(5, 5);
    start('a', 5);
    start('b', 5, () => start('b2', 1));
    start('c', 1);
    await settled();
    expect(started).toEqual(['a']);
    // b uses the slice up: c, first in line, and b2, which came due after it, wait a turn.
    await turn();
    expect(started).toEqual(['a', 'b']);
    await turn();
    expect(started).toEqual(['a', 'b', 'c', 'b2']);
  });

  it('drop the messages still waiting once closed, and any that come', async () => {
    const { slices, turn, started, start } = slicesByHand(5, 5);
    start('a', 5);
    const waiting = slices.place();
    slices.close();
    expect(await waiting).toBe(false);
    start('c', 1);
    await turn();
    await turn();
    expect(started).toEqual(['a']);
  });

  it('begin a new slice after a turn of the loop', async () => {
    const { loop, slices, turn } = slicesByHand(5, 5);
    expect(slices.place()).toBeNull();
    loop.at += 50;
    expect(slices.place()).not.toBeNull();
    await turn();
    expect(slices.place()).toBeNull();
  });

  it("last as long as the loop's other work took since they gave way, up to the longest", async () => {
    const { loop, turn, started, start } = slicesByHand(2, 20);
    start('a', 3);
    start('b', 4);
    await settled();
    expect(started).toEqual(['a']);
    // The I/O that was ready took 10 ms: the next slice gets 10 ms too, not 2.
    loop.at += 10;
    await turn();
    start('c', 4);
    start('d', 2);
    start('e', 1);
    await settled();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    // 100 ms of I/O: a slice of 20 ms at most.
    loop.at += 100;
    await turn();
    start('f', 19);
    start('g', 1);
    await settled();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('are back to the shortest after a slice that did not give way', async () => {
    const { loop, turn, started, start } = slicesByHand(2, 20);
    start('a', 3);
    start('b', 1);
    loop.at += 10;
    await turn();
    // b's slice could run 10 ms, and nothing else came: the next one gets 2.
    expect(started).toEqual(['a', 'b']);
    await turn();
    start('c', 3);
    start('d', 1);
    await settled();
    expect(started).toEqual(['a', 'b', 'c']);
  });
});

describe('a burst of commands', () => {
  it('lets the request the first one makes leave before the last one is handled', async () => {
    // The first command asks something of a server over a new connection, as a turn's start asks
    // Claude; every command then takes 2 ms of the CPU, as a turn's start does.
    const claude = createServer((_request, response) => response.end());
    await new Promise<void>((resolve) => claude.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      claude.closeAllConnections();
      claude.close();
    });
    const { port } = claude.address() as AddressInfo;
    const burst = 20;
    let handled = 0;
    const arrivedAfter = new Promise<number>((resolve) => {
      claude.once('request', () => resolve(handled));
    });
    const runtime = createFakeRuntime(() => {
      handled += 1;
      if (handled === 1) get(`http://127.0.0.1:${port}/v1/messages`, (answer) => answer.resume());
      const until = performance.now() + 2;
      while (performance.now() < until) {}
      return { status: 'duplicate' };
    });
    const { connect } = createTestGateway({ registry: createFakeRegistry({ c1: runtime }) });
    const clients = Array.from({ length: burst }, () => connect());
    // All in one go, each in a callback of its own (as each socket's read is): every message has
    // arrived before the loop polls for I/O again.
    clients.forEach((client, i) => {
      setImmediate(() =>
        client.sendJson({
          type: 'command',
          conversationId: 'c1',
          command: { type: 'turn.stop', commandId: `k${i}` },
        }),
      );
    });
    await runtime.until(() => runtime.commands.length === burst);
    expect(await arrivedAfter).toBeLessThan(burst);
  });
});
