import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assign, createActor, createMachine } from 'xstate';
import { browserFrames, frameBatched } from './frame-batched.ts';
import { manualFrames } from './test-support/manual-frames.ts';

function counter() {
  const actor = createActor(
    createMachine({
      types: {} as { context: { n: number }; events: { type: 'inc' } },
      context: { n: 0 },
      on: { inc: { actions: assign({ n: ({ context }) => context.n + 1 }) } },
    }),
  );
  actor.start();
  return actor;
}

describe('frameBatched', () => {
  it('announces many changes once, with the latest snapshot', () => {
    const actor = counter();
    const { frames, tick, queue } = manualFrames();
    const view = frameBatched(actor, frames);
    let calls = 0;
    view.subscribe({ next: () => (calls += 1) });
    for (let i = 0; i < 100; i += 1) actor.send({ type: 'inc' });
    expect(queue).toHaveLength(1);
    expect(view.getSnapshot().context.n).toBe(0);
    tick();
    expect(calls).toBe(1);
    expect(view.getSnapshot().context.n).toBe(100);
  });

  it('stops listening when the last observer leaves, and catches up on the next', () => {
    const actor = counter();
    const { frames, tick, queue } = manualFrames();
    const view = frameBatched(actor, frames);
    const subscription = view.subscribe({ next: () => undefined });
    actor.send({ type: 'inc' });
    subscription.unsubscribe();
    expect(queue).toHaveLength(0);
    actor.send({ type: 'inc' });
    view.subscribe({ next: () => undefined });
    expect(view.getSnapshot().context.n).toBe(2);
    tick();
  });

  describe('with pacing', () => {
    /**
     * A counter whose even counts may wait (as text deltas the live tail shows may), and whose
     * counts from `unneededFrom` on need no announcement of their own (as plain words).
     */
    function paced(unneededFrom = Number.POSITIVE_INFINITY) {
      const actor = counter();
      const clock = manualFrames();
      const view = frameBatched(actor, clock.frames, {
        wait: () => {
          const { n } = actor.getSnapshot().context;
          if (n >= unneededFrom) return 'unneeded';
          return n % 2 === 0 ? 'paced' : 'none';
        },
        everyMs: 50,
      });
      const seen: number[] = [];
      view.subscribe({ next: (snapshot) => seen.push(snapshot.context.n) });
      return { actor, ...clock, seen };
    }

    it('announces a change that may wait with the first change once everyMs has passed, in its frame', () => {
      const { actor, tick, queue, pass, seen } = paced();
      actor.send({ type: 'inc' }); // 1: may not wait
      tick();
      expect(seen).toEqual([1]);
      pass(20);
      actor.send({ type: 'inc' }); // 2: may wait, 20 ms after the last announcement
      expect(queue).toHaveLength(0);
      pass(40);
      actor.send({ type: 'inc' }); // 3: may not wait anyway
      actor.send({ type: 'inc' }); // 4
      expect(queue).toHaveLength(1);
      tick();
      expect(seen).toEqual([1, 4]);
    });

    it('a change that may wait, once everyMs has passed, is announced at the next frame', () => {
      const { actor, tick, queue, pass, seen } = paced();
      actor.send({ type: 'inc' });
      tick();
      pass(50);
      actor.send({ type: 'inc' }); // 2: may wait, but 50 ms have passed
      expect(queue).toHaveLength(1);
      tick();
      expect(seen).toEqual([1, 2]);
    });

    it('announces what waited when no other change comes within everyMs', () => {
      const { actor, tick, queue, pass, seen, timers } = paced();
      actor.send({ type: 'inc' });
      tick();
      pass(10);
      actor.send({ type: 'inc' }); // 2: waits
      expect(timers).toHaveLength(1);
      pass(49);
      expect(queue).toHaveLength(0);
      pass(1);
      expect(queue).toHaveLength(1);
      tick();
      expect(seen).toEqual([1, 2]);
    });

    it('a change that may not wait ends the wait: the next frame announces it and what waited', () => {
      const { actor, tick, queue, pass, seen, timers } = paced();
      actor.send({ type: 'inc' });
      tick();
      pass(10);
      actor.send({ type: 'inc' }); // 2: waits
      actor.send({ type: 'inc' }); // 3: may not
      expect(timers).toHaveLength(0);
      expect(queue).toHaveLength(1);
      tick();
      expect(seen).toEqual([1, 3]);
    });

    it('a change that needs no announcement waits, however long, for one that does', () => {
      const { actor, tick, queue, pass, seen, timers } = paced(2);
      actor.send({ type: 'inc' }); // 1: may not wait
      tick();
      pass(60);
      actor.send({ type: 'inc' }); // 2: unneeded, though 50 ms have passed
      pass(1_000);
      actor.send({ type: 'inc' }); // 3: unneeded
      expect(queue).toHaveLength(0);
      expect(timers).toHaveLength(0);
      expect(seen).toEqual([1]);
    });

    it('an unneeded change leaves a paced wait under way as it was', () => {
      const { actor, tick, queue, pass, seen, timers } = paced(3);
      actor.send({ type: 'inc' });
      tick();
      pass(10);
      actor.send({ type: 'inc' }); // 2: waits, paced
      actor.send({ type: 'inc' }); // 3: unneeded
      expect(timers).toHaveLength(1);
      pass(50);
      tick();
      expect(queue).toHaveLength(0);
      expect(seen).toEqual([1, 3]);
    });
  });
});

describe('browserFrames', () => {
  /** The animation frames asked of the browser, which the test runs. */
  let frames: Map<number, FrameRequestCallback>;
  beforeEach(() => {
    frames = new Map();
    let ids = 0;
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => {
      ids += 1;
      frames.set(ids, callback);
      return ids;
    });
    vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  const runFrame = () => {
    const due = [...frames.values()];
    frames.clear();
    for (const callback of due) callback(0);
  };
  afterEach(() => {
    // What a test left asked for runs now: the next test starts with no frame requested.
    runFrame();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('runs what was asked in one frame, in order, and what those ask for in the same frame', () => {
    const ran: string[] = [];
    browserFrames.request(() => {
      ran.push('a');
      browserFrames.request(() => ran.push('c'));
    });
    const cancelB = browserFrames.request(() => ran.push('b'));
    browserFrames.request(() => ran.push('d'));
    cancelB();
    expect(frames.size).toBe(1);
    vi.advanceTimersByTime(50);
    runFrame();
    expect(ran).toEqual(['a', 'd', 'c']);
    expect(frames.size).toBe(0);
    // The next one waits for a frame of its own: the fallback timer of the last frame, due
    // 100 ms after it was asked for, was cleared with it and does not run this one early.
    browserFrames.request(() => ran.push('e'));
    expect(frames.size).toBe(1);
    vi.advanceTimersByTime(60);
    expect(ran).toEqual(['a', 'd', 'c']);
    runFrame();
    expect(ran).toEqual(['a', 'd', 'c', 'e']);
  });

  it('runs them after a timer where no frame comes (a hidden tab), and gives the frame up', () => {
    const ran: string[] = [];
    browserFrames.request(() => ran.push('a'));
    vi.advanceTimersByTime(99);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['a']);
    // The frame asked for with the timer was given up with it.
    expect(frames.size).toBe(0);
  });

  it('runs the rest of a frame when one callback throws, and reports the error', async () => {
    const ran: string[] = [];
    const reported = new Promise((resolve) => process.once('uncaughtException', resolve));
    browserFrames.request(() => {
      throw new Error('broken');
    });
    browserFrames.request(() => ran.push('after'));
    runFrame();
    expect(ran).toEqual(['after']);
    await expect(reported).resolves.toMatchObject({ message: 'broken' });
  });
});
