// npx tsx server/bench/server-forwarding.bench.ts: what the server adds between Claude and a
// browser. The real server (src/main.ts as a child process) streams stamped text deltas from the
// Claude emulator to one WebSocket client per conversation; a plain SSE-to-WebSocket forwarder
// (plain-forwarder.ts) does the same as the baseline. Also: the server's CPU per 1,000 deltas
// and its memory per idle connection. Prints figures against their targets; asserts nothing.
//
// Processes: the emulator runs in a child of its own (emulator-process.ts), so its ~10,000 SSE
// writes a second at 200 conversations do not delay the clients' receive times; the clients
// run here and only take a timestamp and read the stamp with a regular expression. Everything
// talks over 127.0.0.1. Latency = client receive time − the emulator's send time stamped in the
// delta, both `performance.timeOrigin + performance.now()` on the same machine. Before each
// measured run, both systems forward a few short turns, unmeasured (warmUp).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { stampClock } from '../test/claude-emulator/stamp-deltas.ts';
import { startEmulatorChild } from './emulator-child.ts';
import { connectLatencyClient, type LatencyClient } from './latency-client.ts';
import { percentile } from './percentile.ts';
import { cpuMs, machineDescription, mainThreadSchedMs, settledRssKiB } from './proc-stats.ts';
import {
  allFinished as allFinishedWithin,
  connectAll,
  createConversations,
  clockOffset as emulatorClockOffset,
  loadAverage,
  sleep,
  startBenchServer,
  stopBenchServer,
  type Turns,
  WARM_UP,
  warmUp as warmUpOn,
} from './server-runs.ts';

// BENCH_CONVERSATIONS=200 runs one level only; BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof
// --cpu-prof-dir=/tmp/prof`) are Node flags for the server process, to see where its time goes.
const CONCURRENCY = process.env.BENCH_CONVERSATIONS
  ? process.env.BENCH_CONVERSATIONS.split(',').map(Number)
  : [1, 50, 200];
const DELTAS = 500;
const DELAY_MS = 20;
/** The steady-state figure leaves out each stream's start (the turn's set-up, the first bytes). */
const STEADY_AFTER = 50;
const RUN_DEADLINE_MS = 60_000;
const IDLE_CONNECTIONS = 1000;
const TARGET_P99_MS = 80;
const TARGET_RATIO = 2;
/** The server's CPU per delta against the plain forwarder's in the same run (issue 18). */
const TARGET_CPU_RATIO = 1.5;
const TARGET_KIB_PER_CONNECTION = 30;

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

// ---- the emulator, in its own process ----

const emulator = await startEmulatorChild();
const enqueue = (n: number) => emulator.enqueueStamped(n, DELTAS, DELAY_MS);

const clockOffset = () => emulatorClockOffset(emulator);

// ---- one measured run ----

interface RunResult {
  conversations: number;
  latencies: number[];
  steady: number[];
  /** When each delta over TARGET_P99_MS arrived, in ms after the streams were started. */
  lateAt: number[];
  deltas: number;
  started: number;
  completed: number;
  problems: string[];
  cpu: { target: number; emulator: number; bench: number };
  /** The target's main thread: ms on a core, and ms waiting for one. */
  mainThread: { run: number; wait: number };
  wallMs: number;
  loopLagP99: number;
}

function newRecorder() {
  const latencies: number[] = [];
  const steady: number[] = [];
  const lateAt: number[] = [];
  return {
    latencies,
    steady,
    lateAt,
    onDelta(latency: number, index: number) {
      latencies.push(latency);
      if (index >= STEADY_AFTER) steady.push(latency);
      if (latency > TARGET_P99_MS) lateAt.push(stampClock());
    },
  };
}

/** Whether every client's stream ended within RUN_DEADLINE_MS. */
const allFinished = (clients: LatencyClient[]) => allFinishedWithin(clients, RUN_DEADLINE_MS);

type Recorder = ReturnType<typeof newRecorder>;

/** Both systems forward WARM_UP's turns, unmeasured, before each measured run (server-runs.ts). */
const warmUp = (prepare: (count: number) => Promise<Turns>) =>
  warmUpOn(emulator, prepare, RUN_DEADLINE_MS);

/** Starts every stream at once and waits for all of them to end, sampling CPU around it. */
async function measure(
  targetPid: number,
  clients: LatencyClient[],
  recorder: Recorder,
  start: () => void,
): Promise<RunResult> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const cpuBefore = { target: cpuMs(targetPid), emulator: cpuMs(emulator.pid) };
  const schedBefore = mainThreadSchedMs(targetPid);
  const benchBefore = process.cpuUsage();
  const startedAt = stampClock();
  loop.enable();
  start();
  const timedOut = !(await allFinished(clients));
  loop.disable();
  const wallMs = stampClock() - startedAt;
  const bench = process.cpuUsage(benchBefore);
  const schedAfter = mainThreadSchedMs(targetPid);
  const problems: string[] = [];
  if (timedOut) problems.push(`stopped waiting after ${RUN_DEADLINE_MS / 1000} s`);
  const closes = clients.filter((c) => c.state.closeCode !== null && !c.state.done);
  if (closes.length > 0) {
    problems.push(`${closes.length} sockets closed early (codes ${closes[0]?.state.closeCode})`);
  }
  const failures = clients.flatMap((c) => c.state.failures);
  if (failures.length > 0) problems.push(`${failures.length} failures, first: ${failures[0]}`);
  const statuses = (await emulator.call({ type: 'stats' })).statuses as Record<string, number>;
  if (
    Object.keys(statuses).some((status) => status !== '200') ||
    statuses['200'] !== clients.length
  )
    problems.push(`emulator answered ${JSON.stringify(statuses)}`);
  return {
    conversations: clients.length,
    latencies: recorder.latencies,
    steady: recorder.steady,
    lateAt: recorder.lateAt.map((at) => at - startedAt),
    deltas: recorder.latencies.length,
    started: clients.filter((c) => c.state.started).length,
    completed: clients.filter((c) => c.state.done).length,
    problems,
    cpu: {
      target: cpuMs(targetPid) - cpuBefore.target,
      emulator: cpuMs(emulator.pid) - cpuBefore.emulator,
      bench: (bench.user + bench.system) / 1000,
    },
    mainThread: { run: schedAfter.run - schedBefore.run, wait: schedAfter.wait - schedBefore.wait },
    wallMs,
    loopLagP99: loop.percentile(99) / 1e6,
  };
}

// ---- the plain forwarder ----

async function startForwarder(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./plain-forwarder.ts', import.meta.url).pathname],
    {
      env: { PATH: process.env.PATH ?? '', EMULATOR_URL: emulator.url } as Record<
        string,
        string
      > as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      const match = /port (\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the plain forwarder exited (${code})`)));
  });
  return { child, url: `ws://127.0.0.1:${port}` };
}

/** `n` clients of the plain forwarder, each ready to start one stream with `start()`. */
async function forwarderTurns(
  url: string,
  n: number,
  onDelta: Recorder['onDelta'],
): Promise<Turns> {
  const clients = await connectAll(n, () =>
    connectLatencyClient(url, {
      startMarker: '"message_start"',
      doneMarker: '"message_stop"',
      onDelta,
    }),
  );
  const start = () => {
    for (const client of clients) client.send('go');
  };
  return { clients, start };
}

async function runForwarder(url: string, pid: number, n: number): Promise<RunResult> {
  await warmUp((count) => forwarderTurns(url, count, () => {}));
  const recorder = newRecorder();
  const turns = await forwarderTurns(url, n, recorder.onDelta);
  try {
    await enqueue(n);
    return await measure(pid, turns.clients, recorder, turns.start);
  } finally {
    for (const client of turns.clients) client.close();
  }
}

// ---- the server ----

/** The server on the emulator, with a fresh data folder (its SQLite file) per start. */
const startServer = () => startBenchServer(emulator.url);

/** `n` conversations, each with a subscribed client, ready to start one turn each with `start()`. */
async function serverTurns(wsUrl: string, n: number, onDelta: Recorder['onDelta']): Promise<Turns> {
  const ids = await createConversations(wsUrl, n);
  const clients = await connectAll(n, () =>
    connectLatencyClient(wsUrl, {
      startMarker: '"user.message"',
      doneMarker: '"assistant.completed"',
      onDelta,
    }),
  );
  await Promise.all(
    clients.map((client, i) =>
      client.request({ type: 'subscribe', conversationId: ids[i], afterSeq: 0 }, (frame) =>
        frame.type === 'subscribed' && frame.conversationId === ids[i] ? true : undefined,
      ),
    ),
  );
  const start = () => {
    clients.forEach((client, i) => {
      client.send({
        type: 'command',
        conversationId: ids[i],
        command: { type: 'user.message', commandId: randomUUID(), text: 'Stream please' },
      });
    });
  };
  return { clients, start };
}

async function runServer(n: number): Promise<RunResult> {
  const running = await startServer();
  const { server } = running;
  const recorder = newRecorder();
  let clients: LatencyClient[] = [];
  try {
    await warmUp((count) => serverTurns(server.wsUrl, count, () => {}));
    const turns = await serverTurns(server.wsUrl, n, recorder.onDelta);
    clients = turns.clients;
    await enqueue(n);
    return await measure(server.child.pid!, clients, recorder, turns.start);
  } finally {
    for (const client of clients) client.close();
    await stopBenchServer(running);
  }
}

async function idleConnectionMemory() {
  const running = await startServer();
  const { server } = running;
  const pid = server.child.pid!;
  const open = async (n: number) => {
    const clients = await connectAll(n, () =>
      connectLatencyClient(server.wsUrl, {
        startMarker: '\u0000',
        doneMarker: '\u0000',
        onDelta: () => {},
      }),
    );
    await Promise.all(clients.map((client) => client.hello));
    return clients;
  };
  try {
    // A few connections first, so the code paths' one-time costs are not counted per connection.
    for (const client of await open(20)) client.close();
    await sleep(500);
    const before = await settledRssKiB(pid);
    const clients = await open(IDLE_CONNECTIONS);
    const after = await settledRssKiB(pid);
    for (const client of clients) client.close();
    return { before, after, perConnection: (after - before) / IDLE_CONNECTIONS };
  } finally {
    await stopBenchServer(running);
  }
}

// ---- the report ----

function row(label: string, result: RunResult) {
  const l = result.latencies;
  const cpu = (ms: number) => fixed((ms / result.wallMs) * 100, 0).padStart(3);
  return [
    label.padEnd(16),
    String(result.conversations).padStart(5),
    `${result.deltas}/${result.conversations * DELTAS}`.padStart(13),
    fixed(percentile(l, 50)).padStart(8),
    fixed(percentile(l, 99)).padStart(8),
    fixed(Math.max(...l)).padStart(8),
    fixed(percentile(result.steady, 99)).padStart(9),
    `   ${cpu(result.cpu.target)} / ${cpu(result.cpu.emulator)} / ${cpu(result.cpu.bench)}`,
    fixed(result.loopLagP99, 1).padStart(9),
    `${(result.wallMs / 1000).toFixed(1)} s`.padStart(8),
  ].join(' ');
}

console.log('Tollgate server forwarding benchmark');
console.log(`Machine: ${machineDescription()}`);
console.log(`Load average before the runs: ${loadAverage()}`);
const clock = await clockOffset();
console.log(
  'Processes: emulator in its own child (node --import tsx); server = src/main.ts child ' +
    '(LOG_LEVEL=warn, fresh data dir per run); plain forwarder child; WS clients in this process; 127.0.0.1 only',
);
console.log(
  `Clock check: emulator − bench = ${fixed(clock.offset, 3)} ms (IPC round trip ${fixed(clock.rtt, 3)} ms)`,
);
console.log(
  `Scenario: per conversation ${DELTAS} stamped text deltas ${DELAY_MS} ms apart, one WS client each, all turns started at once, ` +
    `after ${WARM_UP.conversations} unmeasured turns of ${WARM_UP.deltas} deltas\n`,
);

const forwarder = await startForwarder();
const results: { n: number; plain: RunResult; server: RunResult }[] = [];
try {
  for (const n of CONCURRENCY) {
    const plain = await runForwarder(forwarder.url, forwarder.child.pid!, n);
    const server = await runServer(n);
    results.push({ n, plain, server });
  }
} finally {
  forwarder.child.kill('SIGTERM');
}

console.log(
  '1+2. Added latency, emulator SSE event → WebSocket frame at the client (ms); CPU % of one core during the run',
);
console.log(
  `${'system'.padEnd(16)} convs  deltas rcvd    p50 ms   p99 ms   max ms  p99 steady*   CPU target/emulator/bench  lag p99**    wall`,
);
for (const { plain, server } of results) {
  console.log(row('plain forwarder', plain));
  console.log(row('tollgate server', server));
  for (const [name, result] of [
    ['plain forwarder', plain],
    ['tollgate server', server],
  ] as const) {
    if (result.started !== result.conversations || result.problems.length > 0) {
      console.log(
        `  ! ${name}: ${result.started}/${result.conversations} streams started, ${result.completed} completed; ${result.problems.join('; ')}`,
      );
    }
  }
}
console.log(
  `  * deltas after each stream's first ${STEADY_AFTER}   ** this process's event-loop delay p99 (ms): the clients' own lateness`,
);
for (const { n, plain, server } of results) {
  const ratio = percentile(server.latencies, 99) / percentile(plain.latencies, 99);
  const gate = n === CONCURRENCY.at(-1);
  console.log(
    `  ${String(n).padStart(3)} conversations: server p99 / plain p99 = ${fixed(ratio, 1)}×` +
      (gate
        ? `   targets: p99 ≤ ${TARGET_P99_MS} ms → ${verdict(percentile(server.latencies, 99) <= TARGET_P99_MS)}; ` +
          `≤ ${TARGET_RATIO}× plain → ${verdict(ratio <= TARGET_RATIO)}`
        : ''),
  );
  if (gate) {
    // Where the p99 comes from: the turns' start, when every conversation begins at once, or later.
    for (const [name, result] of [
      ['plain', plain],
      ['server', server],
    ] as const) {
      const late = result.lateAt.length;
      const bySecond = new Map<number, number>();
      for (const at of result.lateAt) {
        const second = Math.floor(at / 1000);
        bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
      }
      const seconds = [...bySecond].map(([second, count]) => `${count} in s${second}`).join(', ');
      console.log(
        `       ${name.padEnd(6)} deltas over ${TARGET_P99_MS} ms: ${late} of ${result.deltas} ` +
          `(${fixed((late / result.deltas) * 100, 1)} %; the p99 allows 1 %)${late > 0 ? `: ${seconds}` : ''}`,
      );
    }
  }
}

const last = results.at(-1);
if (last) {
  const perThousand = (cpu: number, r: RunResult) => (cpu / r.deltas) * 1000;
  const server = perThousand(last.server.cpu.target, last.server);
  const plain = perThousand(last.plain.cpu.target, last.plain);
  console.log(
    `\n3. Server CPU per 1,000 forwarded deltas (${last.n} conversations, /proc/<pid>/stat utime+stime, ` +
      `SQLite appends and the turn's start included): ${fixed(server, 1)} ms; plain forwarder: ${fixed(plain, 1)} ms; ` +
      `server / plain = ${fixed(server / plain)}× (target ≤ ${TARGET_CPU_RATIO}× → ${verdict(server / plain <= TARGET_CPU_RATIO)})`,
  );
  // Saturated (on a core or waiting for one nearly all the time) or held back by other processes
  // (much waiting): what tells a costly run from a cheap one (docs/performance.md).
  const share = (ms: number, r: RunResult) => `${fixed((ms / r.wallMs) * 100, 0)} %`;
  for (const [label, r] of [
    ['tollgate server', last.server],
    ['plain forwarder', last.plain],
  ] as const) {
    console.log(
      `   ${label} main thread (/proc/<pid>/task/<pid>/schedstat): on a core ${share(r.mainThread.run, r)} ` +
        `of the run, waiting for one ${share(r.mainThread.wait, r)}`,
    );
  }
}

const memory = await idleConnectionMemory();
console.log(
  `\n4. Memory per idle WebSocket connection (${IDLE_CONNECTIONS} connections, hello only, settled VmRSS): ` +
    `${memory.before.toLocaleString('en')} KiB → ${memory.after.toLocaleString('en')} KiB = ` +
    `${fixed(memory.perConnection, 1)} KiB per connection (target ≤ ${TARGET_KIB_PER_CONNECTION} KB → ${verdict(memory.perConnection <= TARGET_KIB_PER_CONNECTION)})`,
);

console.log(`\nLoad average after the runs: ${loadAverage()}`);
emulator.close();
