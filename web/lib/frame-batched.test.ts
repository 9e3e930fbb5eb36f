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

function manualFrames() {
  const queue: (() => void)[] = [];
  const frames: FrameScheduler = {
    request(callback) {
      queue.push(callback);
      return () => queue.splice(queue.indexOf(callback), 1);
    },
  };
  const tick = () => {
    for (const run of queue.splice(0)) run();
  };
  return { frames, tick, queue };
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
});
