import { describe, expect, it } from 'vitest';
import { assign, createActor, createMachine } from 'xstate';
import { type FrameScheduler, frameBatched } from './frame-batched.ts';

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

/** Frames that run when the test says, and a clock and timers that move when it says. */
function manualFrames() {
  const queue: (() => void)[] = [];
  let time = 0;
  const timers: { at: number; run: () => void }[] = [];
  const frames: FrameScheduler = {
    request(callback) {
      queue.push(callback);
      return () => queue.splice(queue.indexOf(callback), 1);
    },
    later(run, ms) {
      const timer = { at: time + ms, run };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
    now: () => time,
  };
  const tick = () => {
    for (const run of queue.splice(0)) run();
  };
  /** Moves the clock on by `ms`, running the timers due by then. */
  const pass = (ms: number) => {
    time += ms;
    for (const timer of timers.filter((t) => t.at <= time)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.run();
    }
  };
  return { frames, tick, queue, pass, timers };
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
