// npx tsx server/bench/inspector-open.bench.ts: how long the flow inspector takes to open a
// 10,000-entry conversation (navigation to its live end shown: the last entry's number in the
// toolbar, the diagram on the live state), against the floor measured in the same run: the same
// entries received by a page that only subscribes from 0 and waits for `subscribed`. Then how long
// a step takes (a click on "Previous event" to the diagram's current state changing), over 20
// steps. Alternates inspector and floor over RUNS runs. Prints figures; asserts nothing.
// conversation-open.bench.ts imports `writeConversation` from here, which does not run the
// benchmark.
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogEntry } from '@tollgate/machines';
import * as ev from '../../machines/src/test-support/event-builders.ts';
import { launchChromium } from '../test/e2e/chromium.ts';
import { serverDirs, startServerProcess } from '../test/server/server-process.ts';
import { seedConversations } from '../test/support/seed-conversations.ts';
import { liveEndShownAt, receiveWholeLog, stepBack, watchLiveEnd } from './inspector-probes.js';
import { percentile } from './percentile.ts';

const ENTRIES = 10_000;
const DELTAS_PER_TURN = 200;
const RUNS = 5;
const STEPS = 20;
const TARGET_OPEN_MS = 1000;

/**
 * A long conversation written straight into a store, as turns of streamed answers (`Question n`,
 * then `word0 word1 … word199`); with `others`, that many more empty conversations, created
 * before it (`c_other1`, …).
 */
export async function writeConversation(
  dataDir: string,
  others = 0,
): Promise<{ id: string; lastSeq: number; lastTurn: number }> {
  const id = 'c_bench';
  const events: LogEntry['event'][] = [];
  let lastTurn = 0;
  for (let turn = 1; events.length < ENTRIES - 3; turn++) {
    lastTurn = turn;
    events.push(ev.userMessage(`Question ${turn}`), ev.started(turn));
    for (let i = 0; i < DELTAS_PER_TURN; i++) events.push(ev.textDelta(turn, `word${i} `));
    events.push(ev.completed(turn));
  }
  const empty = Array.from({ length: others }, (_, i) => ({
    id: `c_other${i + 1}`,
    createdAt: Date.now() - 1000,
  }));
  await seedConversations(dataDir, [...empty, { id, createdAt: Date.now(), events }]);
  return { id, lastSeq: events.length, lastTurn };
}

async function main() {
  const dirs = await serverDirs();
  const { id: conversationId, lastSeq } = await writeConversation(dirs.dataDir);
  const server = await startServerProcess({
    DATA_DIR: dirs.dataDir,
    WORKSPACE_DIR: dirs.workspaceDir,
  });
  const browser = await launchChromium();

  /** Navigation start to the inspector showing the live end, and the steps back from it, in ms. */
  async function openInspector(): Promise<{ openMs: number; stepsMs: number[] }> {
    const page = await browser.newPage();
    await page.addInitScript(watchLiveEnd, `at event ${lastSeq.toLocaleString('en')}`);
    await page.goto(`${server.url}/inspect?c=${conversationId}`);
    await page.waitForFunction(liveEndShownAt);
    const openMs = (await page.evaluate(liveEndShownAt)) ?? Number.NaN;
    const stepsMs: number[] = [];
    for (let i = 0; i < STEPS; i++) stepsMs.push(await page.evaluate(stepBack));
    await page.close();
    return { openMs, stepsMs };
  }

  /** The floor: a page that only receives the same entries (subscribe from 0 until `subscribed`). */
  async function floor(): Promise<number> {
    const page = await browser.newPage();
    await page.goto(`${server.url}/healthz`);
    const ms = await page.evaluate(receiveWholeLog, { conversationId, from: 'connect' as const });
    await page.close();
    return ms;
  }

  try {
    const opens: number[] = [];
    const floors: number[] = [];
    const steps: number[] = [];
    // One of each first, unmeasured: the server's first read and the browser's first compile.
    await openInspector();
    await floor();
    for (let run = 0; run < RUNS; run++) {
      const inspector = await openInspector();
      opens.push(inspector.openMs);
      steps.push(...inspector.stepsMs);
      floors.push(await floor());
    }
    const median = (values: number[]) => percentile(values, 50);
    const ratios = opens.map((open, i) => open / (floors[i] ?? Number.NaN));
    console.log(
      `Inspector on a ${lastSeq.toLocaleString('en')}-entry conversation, ${RUNS} alternating runs`,
    );
    console.log(
      `  open (navigation → live end shown): ${opens.map((v) => v.toFixed(0)).join(', ')} ms; median ${median(opens).toFixed(0)} ms (target ≤ ${TARGET_OPEN_MS} ms → ${median(opens) <= TARGET_OPEN_MS ? 'PASS' : 'FAIL'})`,
    );
    console.log(
      `  floor (a bare page subscribing from 0 until subscribed): ${floors.map((v) => v.toFixed(0)).join(', ')} ms; median ${median(floors).toFixed(0)} ms`,
    );
    console.log(`  inspector ÷ floor, same run: ${ratios.map((v) => v.toFixed(2)).join(', ')}×`);
    console.log(
      `  step (Previous event → the next frame after it is shown), ${steps.length} steps: p50 ${median(steps).toFixed(1)} ms, p99 ${percentile(steps, 99).toFixed(1)} ms, max ${Math.max(...steps).toFixed(1)} ms`,
    );
  } finally {
    await browser.close();
    await server.kill('SIGTERM');
    await rm(dirs.root, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) await main();
