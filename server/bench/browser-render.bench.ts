// npx tsx server/bench/browser-render.bench.ts: how fast the chat page shows what the server
// sends, in Debian's Chromium. Needs the page built (npm run build -w web). Prints figures;
// asserts nothing.
//
// 1. A 1 MB write_file streams in 4 KB chunks (WRITE_CHUNK_BYTES=4096, no delay: the tool writes
//    as fast as it can). Per chunk: server send → painted, where "send" is the log entry's `at`
//    (the server appends the chunk and sends it in the same step; Date.now, whole ms) and
//    "painted" is measured in the page (page-probes.js): a MutationObserver notices the file
//    panel grew, and the time is taken in the first task after the rendering update that shows
//    it. A chunk counts as painted when the panel has drawn the text through it (the panel draws
//    only the lines in view and says in `data-length` how much of the file that reaches).
// 2. 2,000 text deltas, 2 ms apart, each carrying its send time from the Claude stand-in (a
//    stamp): server send → in the DOM (the MutationObserver's callback) and → painted the same
//    way, counting stamps in the streaming text. Once as words in paragraphs of 40, once as one
//    unbroken line (the worst case for layout).
// Both also report the longest main-thread task meanwhile (PerformanceObserver 'longtask'; none
// means none over 50 ms) and the time each entry waited between arriving and being painted.
// 3. The floor under both: the same entries to a plain Node client and to a page that does nothing
//    but note their arrival (floor-page.ts), in a tab under Playwright and in a Chromium that no
//    debugger watches, with no chat page open.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/chromium.ts';
import { shownFileText } from '../test/e2e/page-kit.ts';
import { serverDirs, startServerProcess } from '../test/server/server-process.ts';
import { serveFloorPage, unwatchedChromium } from './floor-page.ts';
import {
  type Arrival,
  installProbes,
  type Paint,
  type Probes,
  readProbes,
  stampsShown,
} from './page-probes.js';
import { percentile } from './percentile.ts';
import { plainText, stampedText, startSseResponder, writeFileCall } from './sse-responder.ts';
import { within } from './within.ts';

const FILE_BYTES = 1024 * 1024;
const CHUNK_BYTES = 4096;
const DELTAS = 2000;
const DELTA_GAP_MS = 2;

const ms = (value: number) => `${value.toFixed(1)} ms`;

function fileContent(): string {
  const lines: string[] = [];
  let size = 0;
  for (let n = 1; size < FILE_BYTES; n += 1) {
    const line = `${String(n).padStart(6, '0')} the quick brown fox jumps over the lazy dog ${'·'.repeat(n % 9)}\n`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return lines.join('').slice(0, FILE_BYTES);
}

/** For each arrival, the first paint that shows it; its latencies from send and from arrival. */
function paintLatencies(arrivals: Arrival[], paints: Paint[], reachOf: (paint: Paint) => number) {
  const fromSend: number[] = [];
  const fromStamp: number[] = [];
  const fromArrival: number[] = [];
  let p = 0;
  for (const arrival of arrivals) {
    while (p < paints.length && reachOf(paints[p] as Paint) < arrival.reach) p += 1;
    const paint = paints[p];
    if (paint === undefined) break;
    fromSend.push(paint.time - arrival.at);
    if (arrival.stamp !== null) fromStamp.push(paint.time - arrival.stamp);
    fromArrival.push(paint.time - arrival.arrival);
  }
  return { fromSend, fromStamp, fromArrival };
}

function longest(probes: Probes, from: number, to: number): string {
  const tasks = probes.longTasks.filter(
    (task) => task.start + task.duration >= from && task.start <= to,
  );
  if (tasks.length === 0) return 'none over 50 ms';
  const max = Math.max(...tasks.map((task) => task.duration));
  return `${ms(max)} (${tasks.length} over 50 ms)`;
}

const WATCHER = new URL('./entry-watcher.ts', import.meta.url).pathname;

/** A plain WebSocket client in its own process, following the conversation (entry-watcher.ts). */
async function watchEntries(wsUrl: string, conversationId: string, type: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', WATCHER, wsUrl, conversationId, type], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting = new Map<string, () => void>();
  let last = '';
  lines.on('line', (text) => {
    last = text;
    waiting.get(text)?.();
  });
  const seen = (text: string) => new Promise<void>((resolve) => waiting.set(text, resolve));
  await seen('ready');
  return {
    /** Resolves when an answer has completed. */
    completed: seen('completed'),
    /** Stops watching; the latencies seen, in ms. */
    async latencies(): Promise<number[]> {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
      return JSON.parse(last) as number[];
    },
  };
}

const probesOf = (page: Page): Promise<Probes> => page.evaluate(readProbes);

/**
 * With BENCH_TRACE_DIR set, records a Chromium performance trace (the DevTools Performance
 * panel's format: open it there or in https://ui.perfetto.dev) and a JavaScript CPU profile
 * (.cpuprofile) of the page during the measured window. Returns the function that ends them.
 */
async function startTrace(page: Page, name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_TRACE_DIR;
  if (!dir) return async () => {};
  const session = await page.context().newCDPSession(page);
  const events: unknown[] = [];
  session.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  await session.send('Tracing.start', {
    traceConfig: {
      includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'],
    },
  });
  return async () => {
    const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
    await session.send('Tracing.end');
    await complete;
    const { profile } = await session.send('Profiler.stop');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    await writeFile(join(dir, `${name}.json`), JSON.stringify({ traceEvents: events }));
  };
}

/**
 * The real server in its own process, as `npm start` runs it: Playwright (which receives a CDP
 * event for every WebSocket frame the page gets) and the Claude stand-in stay in this one, so
 * they do not take turns with the server's event loop. BENCH_SERVER_NODE_ARGS as in the
 * forwarding benchmark.
 */
async function startBenchServer(chunkDelayMs: number, allowedOrigin = '') {
  const dirs = await serverDirs();
  await mkdir(dirs.dataDir, { recursive: true });
  await mkdir(dirs.workspaceDir, { recursive: true });
  const claude = await startSseResponder();
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = await startServerProcess(
    {
      ANTHROPIC_API_KEY: 'bench',
      ANTHROPIC_BASE_URL: claude.url,
      DATA_DIR: dirs.dataDir,
      WORKSPACE_DIR: dirs.workspaceDir,
      WRITE_CHUNK_BYTES: String(CHUNK_BYTES),
      WRITE_CHUNK_DELAY_MS: String(chunkDelayMs),
      ALLOWED_ORIGINS: allowedOrigin,
    },
    nodeArgs,
  );
  return {
    url: server.url,
    wsUrl: server.wsUrl,
    workspaceDir: dirs.workspaceDir,
    claude,
    async close() {
      await server.kill();
      await claude.close();
      await rm(dirs.root, { recursive: true, force: true });
    },
  };
}

async function newConversation(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'New conversation', exact: true }).click();
  await page.waitForURL(/\?c=/);
}

async function send(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

const line = (label: string, values: number[]) =>
  `  ${label.padEnd(34)}p50 ${ms(percentile(values, 50))}   p99 ${ms(percentile(values, 99))}   max ${ms(Math.max(...values))}   (${values.length})`;

/**
 * A chat page that has asked for the 1 MB file and shows the approval dialog, its Approve button
 * enabled (Claude has written the whole call).
 */
async function askForTheFile(browser: BrowserContext, server: BenchServer) {
  const content = fileContent();
  server.claude.enqueue(
    { events: writeFileCall('toolu_bench_1', 'bench/one-megabyte.txt', content), delayMs: 0 },
    { events: plainText('Written.'), delayMs: 0 },
  );
  const page = await browser.newPage();
  await newConversation(page, server.url);
  await send(page, 'Write a 1 MB file');
  const approve = page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true });
  const handle = await approve.elementHandle({ timeout: 120_000 });
  await handle?.waitForElementState('enabled', { timeout: 120_000 });
  const conversationId = new URL(page.url()).searchParams.get('c') ?? '';
  return { page, approve, conversationId };
}

async function fileRun(browser: BrowserContext, chunkDelayMs: number): Promise<string> {
  const server = await startBenchServer(chunkDelayMs);
  try {
    const { page, approve, conversationId } = await askForTheFile(browser, server);
    const watcher = await watchEntries(server.wsUrl, conversationId, 'tool.chunk');
    const start = Date.now();
    const trace = await startTrace(page, `file-${chunkDelayMs}`);
    await approve.click();
    // Waits by CSS attribute: a text search would scan the megabyte on every poll and disturb
    // what is measured.
    await page.locator('main [data-run-status="completed"]').waitFor({ timeout: 120_000 });
    await page
      .locator('main article[data-turn="2"][data-status="complete"]')
      .waitFor({ timeout: 120_000 });
    const end = Date.now();
    await trace();
    const onDisk = await readFile(join(server.workspaceDir, 'bench/one-megabyte.txt'), 'utf8');
    const shown = await shownFileText(page.locator('main'));
    const probes = await probesOf(page);
    await page.close();
    const chunks = probes.arrivals.filter((a) => a.type === 'tool.chunk');
    const latency = paintLatencies(chunks, probes.paints, (paint) => paint.fileChars);
    const writeMs = (chunks.at(-1)?.at ?? 0) - (chunks[0]?.at ?? 0);
    const pace = chunkDelayMs === 0 ? 'as fast as the tool writes' : `${chunkDelayMs} ms apart`;
    return [
      `1 MB file, ${chunks.length} chunks of 4 KB, ${pace} (sent over ${writeMs} ms):`,
      line('server send → painted', latency.fromSend),
      line(
        'server send → arrival',
        chunks.map((c) => c.arrival - c.at),
      ),
      line('arrival → painted', latency.fromArrival),
      line('server send → Node client', await watcher.latencies()),
      `  frames that grew the panel: ${new Set(probes.paints.map((p) => p.fileChars)).size - 1}`,
      `  longest main-thread task meanwhile: ${longest(probes, start, end)}`,
      `  the page shows the file on disk byte for byte: ${shown === onDisk ? 'yes' : 'NO'}`,
      '',
    ].join('\n');
  } finally {
    await server.close();
  }
}

async function textRun(browser: BrowserContext, paragraph: number): Promise<string> {
  const server = await startBenchServer(0);
  try {
    server.claude.enqueue({
      events: stampedText(DELTAS, paragraph),
      delayMs: DELTA_GAP_MS,
      stamp: true,
    });
    const page = await browser.newPage();
    await newConversation(page, server.url);
    const start = Date.now();
    const trace = await startTrace(page, `text-${paragraph}`);
    await send(page, 'Stream 2,000 deltas');
    await page
      .locator('main article[data-turn="1"][data-status="complete"]')
      .waitFor({ timeout: 120_000 });
    await page.waitForFunction(stampsShown, DELTAS);
    const end = Date.now();
    await trace();
    const probes = await probesOf(page);
    await page.close();
    const deltas = probes.arrivals.filter((a) => a.type === 'assistant.text_delta');
    const latency = paintLatencies(deltas, probes.paints, (paint) => paint.textDeltas);
    const inDom = paintLatencies(deltas, probes.doms, (dom) => dom.textDeltas);
    const shape =
      paragraph === Number.POSITIVE_INFINITY
        ? 'in one paragraph of one unbroken line (the worst case for layout)'
        : `a word each, a new paragraph every ${paragraph}`;
    return [
      `${deltas.length} text deltas, ${DELTA_GAP_MS} ms apart at the source, ${shape}:`,
      line('server send → in the DOM', inDom.fromSend),
      line('server send → painted', latency.fromSend),
      line('Claude send → painted', latency.fromStamp),
      line(
        'server send → arrival',
        deltas.map((d) => d.arrival - d.at),
      ),
      line('arrival → painted', latency.fromArrival),
      `  longest main-thread task meanwhile: ${longest(probes, start, end)}`,
      '',
    ].join('\n');
  } finally {
    await server.close();
  }
}

type BenchServer = Awaited<ReturnType<typeof startBenchServer>>;
type FloorPage = Awaited<ReturnType<typeof serveFloorPage>>;

/**
 * The three receivers of a floor run, following the conversation before anything streams: a
 * plain Node client (entry-watcher.ts), and the floor page (floor-page.ts) in a tab under
 * Playwright (where the benchmark's probes also run, as on every page of its browser: one more
 * parse of each message) and in a Chromium that no debugger watches. `report` waits until each
 * has seen answer `turn` complete and prints their latencies for entries of `type`.
 */
async function floorReceivers(
  browser: BrowserContext,
  server: BenchServer,
  floor: FloorPage,
  conversationId: string,
  type: string,
  turn: number,
) {
  const node = await watchEntries(server.wsUrl, conversationId, type);
  const watched = floor.follow(server.wsUrl, conversationId, type, turn);
  const tab = await browser.newPage();
  await tab.goto(watched.url);
  await watched.ready();
  const unwatched = floor.follow(server.wsUrl, conversationId, type, turn);
  const stopUnwatched = await unwatchedChromium(unwatched.url, unwatched.fail);
  await unwatched.ready();
  return {
    async report(title: string): Promise<string> {
      try {
        await within(node.completed, 120_000, 'the Node client to see the answer end');
        return [
          title,
          line('server send → Node client', await node.latencies()),
          line('server send → watched empty tab', await watched.latencies()),
          line('server send → unwatched Chromium', await unwatched.latencies()),
          '',
        ].join('\n');
      } finally {
        await tab.close();
        await stopUnwatched();
      }
    },
  };
}

/** A bench server that lets the floor page connect; both closed after `run`. */
async function withFloorServer(run: (server: BenchServer, floor: FloorPage) => Promise<string>) {
  const floor = await serveFloorPage();
  try {
    const server = await startBenchServer(0, floor.origin);
    try {
      return await run(server, floor);
    } finally {
      await server.close();
    }
  } finally {
    floor.close();
  }
}

/**
 * The floor under "server send → in the DOM": the same 2,000 deltas to the floor's receivers,
 * with the chat page closed once it has sent the message (a separate run, so that none of them
 * loads the measured page's run).
 */
function textFloorRun(browser: BrowserContext): Promise<string> {
  return withFloorServer(async (server, floor) => {
    server.claude.enqueue({ events: stampedText(DELTAS, 40), delayMs: DELTA_GAP_MS, stamp: true });
    const page = await browser.newPage();
    await newConversation(page, server.url);
    const conversationId = new URL(page.url()).searchParams.get('c') ?? '';
    const receivers = await floorReceivers(
      browser,
      server,
      floor,
      conversationId,
      'assistant.text_delta',
      1,
    );
    await send(page, 'Stream 2,000 deltas');
    await page.close();
    return receivers.report(
      `The same ${DELTAS} deltas with no chat page open (what the transport alone costs):`,
    );
  });
}

/**
 * The floor under "server send → arrival" for the file: the same megabyte to the floor's
 * receivers, with the chat page closed right after the click that approves the call (the tool
 * has not written its first chunk by then, as a rule).
 */
function fileFloorRun(browser: BrowserContext): Promise<string> {
  return withFloorServer(async (server, floor) => {
    const { page, approve, conversationId } = await askForTheFile(browser, server);
    const receivers = await floorReceivers(browser, server, floor, conversationId, 'tool.chunk', 2);
    await approve.click();
    await page.close();
    return receivers.report(
      'The same megabyte with no chat page open (what the transport alone costs):',
    );
  });
}

async function main() {
  const browser = await launchChromium();
  // tsx keeps function names through an `__name` helper the page does not have: define it.
  await browser.addInitScript({
    content: `var __name = (target) => target;\n(${installProbes.toString()})();`,
  });
  try {
    process.stdout.write(
      `Browser render benchmark: Chromium ${browser.browser()?.version() ?? '?'}, ${cpus().length} cores, Node ${process.version}\n\n`,
    );
    // BENCH_ONLY=file or BENCH_ONLY=text runs one half (to profile it alone).
    const only = process.env.BENCH_ONLY;
    if (only !== 'text') {
      process.stdout.write(`${await fileRun(browser, 0)}\n`);
      process.stdout.write(`${await fileRun(browser, 10)}\n`);
      process.stdout.write(`${await fileFloorRun(browser)}\n`);
    }
    if (only !== 'file') {
      process.stdout.write(`${await textRun(browser, 40)}\n`);
      process.stdout.write(`${await textRun(browser, Number.POSITIVE_INFINITY)}\n`);
      process.stdout.write(`${await textFloorRun(browser)}\n`);
    }
    process.stdout.write(
      [
        'Method: times are epoch ms on one machine: performance.timeOrigin + performance.now() in',
        "the page, Date.now() for the server's entry.at (whole ms), the Claude stand-in's send time",
        'in each text delta. "Painted" is the first task after the rendering update that shows the',
        'change (page-probes.js). The page folds every entry at once and redraws at most once per',
        'animation frame, so latency includes waiting for the next frame (up to 16.7 ms at 60 Hz).',
        "Browser, server, MCP tool and Claude stand-in share the machine's cores.",
        '',
      ].join('\n'),
    );
  } finally {
    await browser.close();
  }
}

await main();
