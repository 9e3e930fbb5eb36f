// npx tsx server/bench/conversation-open.bench.ts: how long the chat page takes to open a long
// conversation (issue 23: 10,000 entries, from the click to the last message shown, in ≤ 1.5×
// the time an empty page takes to receive the same entries), against that floor measured in the
// same run. Prints figures and whether the target is met in at least 4 of the runs; asserts
// nothing.
//
// The conversation: 10,150 entries (50 turns of a question and an answer of 200 text deltas)
// written straight into a store before the server starts (inspector-open.bench.ts's
// `writeConversation`), beside an empty conversation the page is opened on, with a checkpoint
// two turns (406 entries) before its end: a live server saves one at rest every 500 entries or
// more, so a tab's catch-up is a checkpoint and up to 499 entries and the turn under way. The
// chat page takes it; the floor does not.
// - Open: the chat page on the empty conversation, its list showing the long one; a click on
//   that link, timed in the page from the click (a capture listener, before the page's handler)
//   to the last answer shown: complete, its last word in the DOM, within the window, timed in
//   the first task after the frame that shows it (as page-probes.js times "painted";
//   conversation-open-probes.js). Click → in the DOM is printed too.
// - Floor: a bare page of the server's origin (its /healthz, as in the inspector benchmark) that
//   opens a socket and, once it is open, subscribes from 0 and waits for `subscribed`: every
//   entry received and parsed. Timed from the subscribe, not from the socket's opening, because
//   the chat page's socket is open before the click. Both under Playwright in the same browser,
//   so both pay for the DevTools protocol's copy of every frame.
// - Printed beside it, not the target: the same bare page subscribing as the chat page does, with
//   `checkpoint` (the checkpoint, then the entries after it).
// BENCH_TRACE_DIR saves a CPU profile of the page for the last open of each run.
// BENCH_RUNS runs (default 5), each with a fresh server and browser: one unmeasured open and
// floor (the server's first read, the browser's first compile), then OPENS alternating opens and
// floors. The run's figure is the median open against the median floor.
import { rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { inertConversationMachine, MACHINE_VERSION, replay } from '@tollgate/machines';
import { createActor } from 'xstate';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import { launchChromium } from '../test/e2e/chromium.ts';
import { serverDirs, startServerProcess } from '../test/server/server-process.ts';
import {
  inDomYet,
  openTimes,
  shownYet,
  timelineScroll,
  watchOpen,
} from './conversation-open-probes.js';
import { printTargets, type RatioSample, ratioTargetLines } from './floor-ratios.ts';
import { writeConversation } from './inspector-open.bench.ts';
import { receiveWholeLog } from './inspector-probes.js';
import { startPageProfile } from './page-profile.ts';
import { percentile } from './percentile.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const OPENS = 5;
const LAST_WORD = 'word199';
const SHOWN_WAIT_MS = 5_000;

const median = (values: number[]) => percentile(values, 50);
const list = (values: number[]) =>
  values.map((v) => (Number.isFinite(v) ? v.toFixed(0) : 'never')).join(', ');
const fixed0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : 'never');

const started = Date.now();
const dirs = await serverDirs();
const { id: conversationId, lastSeq, lastTurn } = await writeConversation(dirs.dataDir, 1);
const checkpointSeq = lastSeq - 2 * (lastSeq / lastTurn);
await saveCheckpoint(dirs.dataDir, conversationId, checkpointSeq);
const samples: RatioSample[] = [];
console.log(
  `Conversation open benchmark: ${lastSeq.toLocaleString('en')} entries, ${RUNS} runs of ${OPENS} alternating opens and floors, ${cpus().length} cores, Node ${process.version}\n`,
);

async function run(index: number) {
  const server = await startServerProcess({
    DATA_DIR: dirs.dataDir,
    WORKSPACE_DIR: dirs.workspaceDir,
  });
  const browser = await launchChromium();
  try {
    /** Click on the long conversation in the list → its last answer shown, in ms. */
    async function open(profileName?: string) {
      const page = await browser.newPage();
      await page.addInitScript(watchOpen, { conversationId, lastTurn, lastText: LAST_WORD });
      await page.goto(`${server.url}/?c=c_other1`);
      const link = page.locator(`#conversation-list a[href$="?c=${conversationId}"]`);
      await link.waitFor({ timeout: 30_000 });
      // The empty conversation is open and followed (the composer takes input once it is).
      await page.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 30_000 });
      const stopProfile = profileName ? await startPageProfile(page, profileName) : async () => {};
      await link.click();
      await page.waitForFunction(inDomYet, undefined, {
        timeout: 60_000,
        polling: 50,
      });
      await stopProfile();
      // Once in the DOM, the answer is shown when the page has scrolled it into view; a page
      // that does not within SHOWN_WAIT_MS never shows it (counted as an infinite time).
      await page
        .waitForFunction(shownYet, undefined, {
          timeout: SHOWN_WAIT_MS,
          polling: 50,
        })
        .catch(() => {});
      const times = await page.evaluate(openTimes);
      const where = await page.evaluate(timelineScroll);
      await page.close();
      return {
        inDom: times.inDom ?? Number.NaN,
        ms: times.shown ?? Number.POSITIVE_INFINITY,
        where,
      };
    }
    async function floor(checkpoint = false) {
      const page = await browser.newPage();
      await page.goto(`${server.url}/healthz`);
      const ms = await page.evaluate(receiveWholeLog, {
        conversationId,
        from: 'subscribe' as const,
        ...(checkpoint ? { checkpoint: MACHINE_VERSION } : {}),
      });
      await page.close();
      return ms;
    }
    await open();
    await floor();
    await floor(true);
    const opens: number[] = [];
    const floors: number[] = [];
    const checkpointFloors: number[] = [];
    const inDoms: number[] = [];
    const neverShown: string[] = [];
    for (let i = 0; i < OPENS; i++) {
      const shown = await open(i === OPENS - 1 ? `open-run${index + 1}` : undefined);
      opens.push(shown.ms);
      inDoms.push(shown.inDom);
      if (!Number.isFinite(shown.ms)) neverShown.push(shown.where);
      floors.push(await floor());
      checkpointFloors.push(await floor(true));
    }
    console.log(`Run ${index + 1} of ${RUNS}`);
    console.log(
      `  open (click → last answer shown): ${list(opens)} ms; median ${fixed0(median(opens))} ms`,
    );
    if (neverShown.length > 0) {
      console.log(
        `    the last answer was not scrolled into view within ${SHOWN_WAIT_MS / 1000} s in ${neverShown.length} of ${OPENS} (the timeline left at ${neverShown.join('; ')})`,
      );
    }
    console.log(
      `  click → last answer in the DOM (not the target): ${list(inDoms)} ms; median ${fixed0(median(inDoms))} ms, ${(median(inDoms) / median(floors)).toFixed(2)}× the floor`,
    );
    console.log(
      `  floor (a bare page, subscribe from 0 → subscribed): ${list(floors)} ms; median ${fixed0(median(floors))} ms`,
    );
    console.log(
      `  beside it, not the target: the bare page subscribing as the chat page does (checkpoint, then the ${lastSeq - checkpointSeq} entries after it): ${list(checkpointFloors)} ms; median ${fixed0(median(checkpointFloors))} ms; the open is ${(median(opens) / median(checkpointFloors)).toFixed(2)}× it`,
    );
    samples.push({ value: median(opens), floor: median(floors) });
  } finally {
    await browser.close();
    await server.kill('SIGTERM');
  }
}

try {
  for (let i = 0; i < RUNS; i++) await run(i);
  printTargets('Issue 23 targets (page)', [
    ratioTargetLines(
      {
        name: `a ${lastSeq.toLocaleString('en')}-entry conversation opens in the chat page: click → last message shown, median of ${OPENS}`,
        unit: 'ms',
        atMost: 1.5,
        samples,
      },
      0,
    ),
  ]);
  console.log(
    '  (floor: a bare page of the same origin under the same Playwright receiving the same entries, median of as many, same run)',
  );
  console.log(`  ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await rm(dirs.root, { recursive: true, force: true });
}

/** Saves the fold of the log's first `seq` entries as its checkpoint, as a live server would. */
async function saveCheckpoint(dataDir: string, id: string, seq: number) {
  const store = openSqliteStore(join(dataDir, 'tollgate.sqlite'));
  try {
    const folded = replay((await store.log.read(id, 0)).slice(0, seq));
    const actor = createActor(inertConversationMachine, { snapshot: folded });
    await store.checkpoints.save(id, seq, actor.getPersistedSnapshot());
  } finally {
    await store.close();
  }
}
