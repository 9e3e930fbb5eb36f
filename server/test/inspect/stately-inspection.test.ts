import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, createMachine, type InspectionEvent } from 'xstate';
import { createInspection } from '../../src/inspect/create-inspection.ts';
import { type StatelyInspector, skyInspector } from '../../src/inspect/stately-inspector.ts';
import { silentLogger } from '../silent-logger.ts';

// A stand-in for the real package, which would connect to stately.ai: it counts when it is loaded
// and what is asked of it, and nothing reaches the network.
const sky = vi.hoisted(() => ({
  loaded: vi.fn(),
  created: vi.fn(),
  next: vi.fn(),
  stop: vi.fn(),
}));
vi.mock('@statelyai/inspect', () => {
  sky.loaded();
  return {
    createSkyInspector: (options: unknown) => {
      sky.created(options);
      return { inspect: { next: sky.next }, stop: sky.stop };
    },
  };
});

const toggle = createMachine({
  id: 'toggle',
  initial: 'off',
  states: { off: { on: { flip: 'on' } }, on: { on: { flip: 'off' } } },
});

/** A fake Stately inspector that keeps what it is given. */
function fakeStately() {
  const seen: InspectionEvent[] = [];
  const stops = vi.fn();
  const inspector: StatelyInspector = { inspect: (event) => seen.push(event), stop: stops };
  const factory = vi.fn(async () => inspector);
  return { seen, stops, factory };
}

let dataDir: string;
beforeEach(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'tollgate-inspect-')), 'data');
});

async function runToggle(inspect: (event: InspectionEvent) => void) {
  const actor = createActor(toggle, { inspect }).start();
  actor.send({ type: 'flip' });
  actor.send({ type: 'flip' });
  actor.stop();
}

const linesOf = async (file: string) =>
  (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; event?: { type: string } });

describe('INSPECT=stately', () => {
  it('hands every inspection event to Stately, and still writes each as a JSON line', async () => {
    const stately = fakeStately();
    const inspection = await createInspection(dataDir, silentLogger(), {
      stately: stately.factory,
    });
    const all: InspectionEvent[] = [];
    await runToggle((event) => {
      all.push(event);
      inspection.inspect(event);
    });
    await inspection.close();

    expect(stately.factory).toHaveBeenCalledTimes(1);
    expect(stately.seen).toEqual(all);
    expect(all.filter((e) => e.type === '@xstate.event')).toHaveLength(3); // init, flip, flip
    expect(stately.stops).toHaveBeenCalledTimes(1);
    expect((await linesOf(inspection.file)).map((line) => line.type)).toEqual(
      all.map((e) => e.type),
    );
  });

  it('sends nothing after close', async () => {
    const stately = fakeStately();
    const inspection = await createInspection(dataDir, silentLogger(), {
      stately: stately.factory,
    });
    await inspection.close();
    await runToggle(inspection.inspect);
    expect(stately.seen).toEqual([]);
    expect(await readFile(inspection.file, 'utf8')).toBe('');
  });

  it('does not load @statelyai/inspect for INSPECT=1, only when Stately is asked for', async () => {
    const trace = await createInspection(dataDir, silentLogger());
    await runToggle(trace.inspect);
    await trace.close();
    expect(sky.loaded).not.toHaveBeenCalled();

    const inspection = await createInspection(dataDir, silentLogger(), { stately: skyInspector });
    expect(sky.loaded).toHaveBeenCalledTimes(1);
    expect(sky.created).toHaveBeenCalledWith({ onerror: expect.any(Function) });
    const all: InspectionEvent[] = [];
    await runToggle((event) => {
      all.push(event);
      inspection.inspect(event);
    });
    await inspection.close();
    expect(sky.next.mock.calls.map(([event]) => event)).toEqual(all);
    expect(sky.stop).toHaveBeenCalledTimes(1);
  });
});
