// npx tsx server/bench/scale-out.bench.ts: what running Tollgate on PostgreSQL, and on several
// instances sharing it, costs (docs/scaling.md). As in server-forwarding.bench.ts, the real server
// (src/main.ts, a child process per instance) streams stamped text deltas from the Claude emulator
// (a child process of its own) to lean WebSocket clients in this process; latency is the client's
// receive time minus the emulator's send stamp. Three configurations, measured in alternating
// runs (the order reversed every other round), each run on fresh instances (and, on PostgreSQL,
// a fresh database) after the same unmeasured warm-up:
//   - one instance on its SQLite file (DATA_DIR), one tab per conversation;
//   - one instance on PostgreSQL (DATABASE_URL), one tab per conversation;
//   - two instances on PostgreSQL, each conversation with one tab on each instance: the instance
//     whose tab subscribed first owns it (alternating, so each owns half), the other follows it;
//     the person's message is sent from the owner's tab.
// Then failover: two instances, one conversation streaming with a tab on each, the owner SIGKILLed
// mid-stream; timed until the survivor's tab has the `assistant.failed` (interrupted) entry that
// the new owner appends when it takes the conversation over. Prints medians beside their floors
// (SQLite for PostgreSQL, one instance for two) and the ratios; asserts nothing. Every process and
// database it makes is stopped or dropped at the end, also after an error or Ctrl-C.
//
// BENCH_CONVERSATIONS (200), BENCH_ROUNDS (3), BENCH_FAILOVERS (5); the PostgreSQL server is
// TOLLGATE_TEST_DATABASE_URL (a superuser URL, as for the tests) or the local one.
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { stampClock } from '../test/claude-emulator/stamp-deltas.ts';
import { connectClient, type WsTestClient } from '../test/server/ws-test-client.ts';
import { startEmulatorChild } from './emulator-child.ts';
import { connectLatencyClient, type LatencyClient } from './latency-client.ts';
import { percentile } from './percentile.ts';
import { CLOCK_TICKS, cpuMs, machineDescription, mainThreadSchedMs } from './proc-stats.ts';
import {
  allFinished,
  type BenchServer,
  clockOffset,
  connectAll,
  createConversations,
  type EmulatorChild,
  loadAverage,
  sleep,
  startBenchServer,
  stopBenchServer,
  type Turns,
  WARM_UP,
  warmUp,
} from './server-runs.ts';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 200);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const FAILOVERS = Math.max(1, Number(process.env.BENCH_FAILOVERS ?? 5));
const DELTAS = 500;
const DELAY_MS = 20;
const RUN_DEADLINE_MS = 90_000;
/**
 * Failover: the owner is killed once the survivor's tab has this many deltas of the stream, and
 * then after an offset that moves the kill across the survivor's take-over period from one
 * repetition to the next (killOffsetMs), so the repetitions do not all meet its timer at one phase.
 */
const DELTAS_BEFORE_KILL = 25;
/** The steady-state figure leaves out each stream's start (the turn's set-up), as server-forwarding's. */
const STEADY_AFTER = 50;
/** How often a follower whose tab watches tries to take the conversation over (the registry's). */
const TAKE_OVER_EVERY_MS = 1_000;
const killOffsetMs = (rep: number) => Math.round(((rep + 0.5) / FAILOVERS) * TAKE_OVER_EVERY_MS);
const ADMIN_URL =
  process.env.TOLLGATE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const grouped = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '—';
/** The middle value (the mean of the two middle ones for an even count). */
const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length === 0
    ? Number.NaN
    : sorted.length % 2 === 1
      ? sorted[Math.floor(middle)]!
      : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

// ---- what this benchmark starts, to be stopped whatever happens ----

let emulator: EmulatorChild = await startEmulatorChild();
const instances = new Set<BenchServer>();
const databases = new Set<string>();

async function adminQuery(sql: string, values: unknown[] = [], url = ADMIN_URL) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

interface BenchDatabase {
  name: string;
  url: string;
  query(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
}

/**
 * A new, empty database: the first instance started on it creates the tables (its migration).
 * Not the tests' freshDatabase (test/store/support/postgres-databases.ts): importing it registers
 * a vitest hook, which fails outside vitest.
 */
async function createDatabase(): Promise<BenchDatabase> {
  const name = `tollgate_bench_${randomBytes(6).toString('hex')}`;
  databases.add(name);
  await adminQuery(`CREATE DATABASE ${name}`);
  const parsed = new URL(ADMIN_URL);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  return { name, url, query: (sql, values) => adminQuery(sql, values, url) };
}

async function dropDatabase(name: string) {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  databases.delete(name);
}

async function startInstance(env: Record<string, string> = {}): Promise<BenchServer> {
  const instance = await startBenchServer(emulator.url, env);
  instances.add(instance);
  return instance;
}

async function stopInstance(instance: BenchServer) {
  instances.delete(instance);
  await stopBenchServer(instance);
}

let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    // Their clients' sockets close with them.
    await Promise.allSettled(
      [...instances].map((instance) => {
        instance.server.child.kill('SIGKILL');
        return stopInstance(instance);
      }),
    );
    await Promise.allSettled([...databases].map(dropDatabase));
    emulator.close();
  })();
  return cleaning;
}
/** Set by Ctrl-C: no further run is started while the clean-up runs. */
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    console.error(`\n${signal}: stopping every instance and dropping every database first`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ---- what is read about the database ----

/**
 * CPU used so far by the PostgreSQL server on this machine, in ms: every `postgres` process alive
 * now, plus what the postmaster has collected from its children that ended (a pooled connection
 * closed while idle). The whole server: other databases' work counts too. NaN if there is no local
 * PostgreSQL server to read.
 */
function postgresCpuMs(): number {
  const processes = new Map<string, { ppid: string; ticks: number; reaped: number }>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
    // After the command name: state, ppid, …, utime (14), stime (15), cutime (16), cstime (17).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    processes.set(pid, {
      ppid: fields[1] ?? '',
      ticks: Number(fields[11]) + Number(fields[12]),
      reaped: Number(fields[13]) + Number(fields[14]),
    });
  }
  if (processes.size === 0) return Number.NaN;
  let ticks = 0;
  for (const { ppid, ticks: own, reaped } of processes.values()) {
    ticks += own + (processes.has(ppid) ? 0 : reaped);
  }
  return (ticks / CLOCK_TICKS) * 1000;
}

/** The machine's CPU time so far, busy and in all, in ticks of every core (/proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const [, ...fields] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is inside user already).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/**
 * The log rows of `ids` and the transactions that wrote them (distinct `xmin`: each append is one
 * statement, its own transaction, so these are the append commits).
 */
async function postgresAppends(database: BenchDatabase, ids: string[]) {
  const { rows } = await database.query(
    'SELECT count(*)::int AS entries, count(DISTINCT xmin::text)::int AS commits FROM log_entries WHERE conversation_id = ANY($1)',
    [ids],
  );
  return { entries: rows[0].entries as number, commits: rows[0].commits as number };
}

/** The log rows of `ids` in a stopped instance's SQLite file (recent rows and compacted segments). */
function sqliteEntries(instance: BenchServer, ids: string[]): number {
  const db = new Database(join(instance.root, 'data', 'tollgate.sqlite'), { fileMustExist: true });
  try {
    const among = 'conversation_id IN (SELECT value FROM json_each(?))';
    const json = JSON.stringify(ids);
    const recent = db.prepare(`SELECT count(*) AS n FROM recent_entries WHERE ${among}`).get(json);
    const segmented = db
      .prepare(
        `SELECT coalesce(sum(json_array_length(entries)), 0) AS n FROM entry_segments WHERE ${among}`,
      )
      .get(json);
    return (recent as { n: number }).n + (segmented as { n: number }).n;
  } finally {
    db.close();
  }
}

// ---- the conversations and their tabs ----

type Store = 'sqlite' | 'postgres';
interface Config {
  label: string;
  store: Store;
  instances: 1 | 2;
}
const CONFIGS: Config[] = [
  { label: 'SQLite, one instance', store: 'sqlite', instances: 1 },
  { label: 'PostgreSQL, one instance', store: 'postgres', instances: 1 },
  { label: 'PostgreSQL, two instances', store: 'postgres', instances: 2 },
];

interface Recording {
  /** Delta latencies on the tabs of the instance that owns the conversation. */
  owner: number[];
  /** … and on the other instance's tabs (two instances only). */
  follower: number[];
  /** The same, leaving out each stream's first STEADY_AFTER deltas. */
  ownerSteady: number[];
  followerSteady: number[];
  /** Per conversation: the person's message sent → the first delta at the tab that sent it. */
  firstDelta: number[];
}
const newRecording = (): Recording => ({
  owner: [],
  follower: [],
  ownerSteady: [],
  followerSteady: [],
  firstDelta: [],
});

interface ClusterTurns extends Turns {
  ids: string[];
  /** The clients of the owners' tabs, one per conversation, in order. */
  ownerTabs: LatencyClient[];
}

/**
 * `n` conversations, each with a tab on every instance, subscribed; conversation i is owned by
 * instance i mod the instance count, whose tab subscribes first (its claim succeeds) before the
 * others' (theirs fail: they follow). `start` sends each conversation's message from its owner's tab.
 */
async function clusterTurns(
  running: BenchServer[],
  n: number,
  recording: Recording | null,
): Promise<ClusterTurns> {
  const ids = await createConversations(running[0]!.server.wsUrl, n);
  const ownerOf = (i: number) => i % running.length;
  const sentAt = ids.map(() => Number.NaN);
  const tabs: LatencyClient[][] = [];
  for (const [k, instance] of running.entries()) {
    let next = 0;
    tabs.push(
      await connectAll(n, () => {
        const i = next++;
        const owns = ownerOf(i) === k;
        return connectLatencyClient(instance.server.wsUrl, {
          startMarker: '"user.message"',
          doneMarker: '"assistant.completed"',
          onDelta: recording
            ? (latency, index) => {
                if (!owns) {
                  recording.follower.push(latency);
                  if (index >= STEADY_AFTER) recording.followerSteady.push(latency);
                  return;
                }
                recording.owner.push(latency);
                if (index >= STEADY_AFTER) recording.ownerSteady.push(latency);
                if (index === 0) recording.firstDelta.push(stampClock() - sentAt[i]!);
              }
            : () => {},
        });
      }),
    );
  }
  const clients = tabs.flat();
  const subscribe = (client: LatencyClient, conversationId: string) =>
    client.request({ type: 'subscribe', conversationId, afterSeq: 0 }, (frame) =>
      frame.type === 'subscribed' && frame.conversationId === conversationId ? true : undefined,
    );
  const ownerTabs = ids.map((_, i) => tabs[ownerOf(i)]![i]!);
  await Promise.all(ids.map((id, i) => subscribe(ownerTabs[i]!, id)));
  await Promise.all(
    tabs.flatMap((onInstance, k) =>
      ids.flatMap((id, i) => (ownerOf(i) === k ? [] : [subscribe(onInstance[i]!, id)])),
    ),
  );
  const start = () => {
    ids.forEach((conversationId, i) => {
      sentAt[i] = stampClock();
      ownerTabs[i]!.send({
        type: 'command',
        conversationId,
        command: { type: 'user.message', commandId: randomUUID(), text: 'Stream please' },
      });
    });
  };
  return { clients, start, ids, ownerTabs };
}

// ---- one measured run ----

interface RunResult {
  config: Config;
  round: number;
  /** Deltas that reached the owners' tabs: the deltas streamed (per 1,000 of them below). */
  streamed: number;
  /** Deltas that reached the followers' tabs. */
  followed: number;
  owner: { p50: number; p99: number; steadyP99: number };
  follower: { p50: number; p99: number; steadyP99: number };
  firstDelta: { p50: number; p99: number };
  /** CPU per 1,000 streamed deltas, ms: each instance, the PostgreSQL server, this process. */
  cpuPerK: { instances: number[]; postgres: number; bench: number };
  entriesPerS: number;
  commitsPerS: number;
  wallMs: number;
  benchLagP99: number;
  /** Share of the run each instance's main thread spent waiting for a core (schedstat). */
  instanceWaitShare: number[];
  /** Share of every core's time the machine was busy during the run (/proc/stat). */
  machineBusyShare: number;
  loadBefore: string;
  problems: string[];
}

async function run(config: Config, round: number): Promise<RunResult> {
  const loadBefore = loadAverage();
  const database = config.store === 'postgres' ? await createDatabase() : null;
  const env: Record<string, string> = database ? { DATABASE_URL: database.url } : {};
  const running: BenchServer[] = [];
  let clients: LatencyClient[] = [];
  try {
    // One after the other: the first migrates the new database, the second finds it done.
    for (let k = 0; k < config.instances; k++) running.push(await startInstance(env));
    await warmUp(emulator, (count) => clusterTurns(running, count, null), RUN_DEADLINE_MS);
    const recording = newRecording();
    const turns = await clusterTurns(running, CONVERSATIONS, recording);
    clients = turns.clients;
    const problems: string[] = [];
    if (database && config.instances > 1) {
      const { rows } = await database.query(
        'SELECT count(*)::int AS owned FROM conversation_owners WHERE conversation_id = ANY($1) GROUP BY instance_id ORDER BY 1',
        [turns.ids],
      );
      const owned = rows.map((row) => row.owned as number);
      const even = Math.floor(CONVERSATIONS / config.instances);
      if (owned.length !== config.instances || owned.some((count) => count < even)) {
        problems.push(`owners not split evenly: ${JSON.stringify(owned)} conversations each`);
      }
    }
    await emulator.enqueueStamped(CONVERSATIONS, DELTAS, DELAY_MS);

    const pids = running.map((instance) => instance.server.child.pid!);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const before = {
      instances: pids.map(cpuMs),
      sched: pids.map(mainThreadSchedMs),
      postgres: postgresCpuMs(),
      machine: machineTicks(),
    };
    const benchBefore = process.cpuUsage();
    const startedAt = stampClock();
    loop.enable();
    turns.start();
    const timedOut = !(await allFinished(clients, RUN_DEADLINE_MS));
    loop.disable();
    const wallMs = stampClock() - startedAt;
    const bench = process.cpuUsage(benchBefore);
    const machine = machineTicks();
    const waits = pids.map((pid, k) => mainThreadSchedMs(pid).wait - before.sched[k]!.wait);
    const cpu = {
      instances: pids.map((pid, k) => cpuMs(pid) - before.instances[k]!),
      postgres: postgresCpuMs() - before.postgres,
      bench: (bench.user + bench.system) / 1000,
    };

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
      statuses['200'] !== CONVERSATIONS
    ) {
      problems.push(`emulator answered ${JSON.stringify(statuses)}`);
    }
    const expected = CONVERSATIONS * DELTAS;
    if (recording.owner.length !== expected) {
      problems.push(`${recording.owner.length}/${expected} deltas reached the owners' tabs`);
    }
    if (config.instances > 1 && recording.follower.length !== expected) {
      problems.push(`${recording.follower.length}/${expected} deltas reached the followers' tabs`);
    }
    for (const client of clients) client.close();

    let appends = { entries: Number.NaN, commits: Number.NaN };
    if (database) appends = await postgresAppends(database, turns.ids);
    else {
      // The file is the server's alone while it runs (locking_mode EXCLUSIVE): read once stopped.
      const { server } = running[0]!;
      const killer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
      await server.kill('SIGTERM');
      clearTimeout(killer);
      appends.entries = sqliteEntries(running[0]!, turns.ids);
    }

    const streamed = recording.owner.length;
    const perK = (ms: number) => (ms / streamed) * 1000;
    return {
      config,
      round,
      streamed,
      followed: recording.follower.length,
      owner: {
        p50: percentile(recording.owner, 50),
        p99: percentile(recording.owner, 99),
        steadyP99: percentile(recording.ownerSteady, 99),
      },
      follower: {
        p50: percentile(recording.follower, 50),
        p99: percentile(recording.follower, 99),
        steadyP99: percentile(recording.followerSteady, 99),
      },
      firstDelta: {
        p50: percentile(recording.firstDelta, 50),
        p99: percentile(recording.firstDelta, 99),
      },
      cpuPerK: {
        instances: cpu.instances.map(perK),
        postgres: database ? perK(cpu.postgres) : Number.NaN,
        bench: perK(cpu.bench),
      },
      entriesPerS: appends.entries / (wallMs / 1000),
      commitsPerS: appends.commits / (wallMs / 1000),
      wallMs,
      benchLagP99: loop.percentile(99) / 1e6,
      instanceWaitShare: waits.map((ms) => ms / wallMs),
      machineBusyShare:
        (machine.busy - before.machine.busy) / (machine.total - before.machine.total),
      loadBefore,
      problems,
    };
  } finally {
    for (const client of clients) client.close();
    await Promise.allSettled(running.filter((i) => instances.has(i)).map(stopInstance));
    if (database) await dropDatabase(database.name);
  }
}

function runLine(r: RunResult) {
  const cpu = r.cpuPerK.instances.map((ms) => fixed(ms)).join(' + ');
  return (
    `  round ${r.round} ${r.config.label.padEnd(26)} CPU/1k deltas ${cpu} ms` +
    (Number.isFinite(r.cpuPerK.postgres) ? `, PostgreSQL ${fixed(r.cpuPerK.postgres)} ms` : '') +
    `, bench ${fixed(r.cpuPerK.bench)} ms · p50/p99/steady p99 ${fixed(r.owner.p50)}/${fixed(r.owner.p99)}/${fixed(r.owner.steadyP99)} ms` +
    (r.config.instances > 1
      ? ` (followers' tabs ${fixed(r.follower.p50)}/${fixed(r.follower.p99)}/${fixed(r.follower.steadyP99)} ms)`
      : '') +
    ` · first delta p50 ${fixed(r.firstDelta.p50, 0)} ms · ${grouped(r.entriesPerS)} entries/s` +
    (Number.isFinite(r.commitsPerS) ? ` in ${grouped(r.commitsPerS)} commits/s` : '') +
    ` · wall ${fixed(r.wallMs / 1000)} s · machine busy ${fixed(r.machineBusyShare * 100, 0)} %, ` +
    `instances' main thread waiting for a core ${r.instanceWaitShare.map((share) => `${fixed(share * 100, 0)} %`).join(' + ')} of the run` +
    ` · bench lag p99 ${fixed(r.benchLagP99)} ms · load before ${r.loadBefore}`
  );
}

// ---- failover ----

interface Failover {
  killed: number;
  offsetMs: number;
  /** Kill → the survivor recorded itself as owner (conversation_owners.claimed_at, wall clock). */
  lockMs: number;
  /** Kill → the `assistant.failed` entry at the survivor's tab. */
  entryMs: number;
  kind: string;
}

async function failoverOnce(rep: number): Promise<Failover> {
  const database = await createDatabase();
  const clients: WsTestClient[] = [];
  const running: BenchServer[] = [];
  try {
    const env = { DATABASE_URL: database.url };
    for (let k = 0; k < 2; k++) running.push(await startInstance(env));
    // The owner alternates between the instance started first and the one started second.
    const killed = rep % 2;
    const [owner, survivor] = [running[killed]!, running[1 - killed]!];
    const tab = async (instance: BenchServer) => {
      const client = await connectClient(instance.server.wsUrl);
      clients.push(client);
      await client.waitForMessage('hello');
      return client;
    };
    const ownerTab = await tab(owner);
    const id = await ownerTab.createConversation();
    await ownerTab.subscribe(id);
    const survivorTab = await tab(survivor);
    await survivorTab.subscribe(id);
    await emulator.enqueueStamped(1, DELTAS, DELAY_MS);
    ownerTab.command(id, { type: 'user.message', text: 'Stream please' });
    const deltas = () =>
      survivorTab.entries(id).filter((e) => e.event.type === 'assistant.text_delta').length;
    await survivorTab.waitFor(
      () => (deltas() >= DELTAS_BEFORE_KILL ? true : undefined),
      `${DELTAS_BEFORE_KILL} deltas at the survivor's tab`,
      30_000,
    );
    await sleep(killOffsetMs(rep));
    const killedAt = stampClock();
    const killedAtWall = Date.now();
    owner.server.child.kill('SIGKILL');
    const failed = await survivorTab.waitForEntry(
      id,
      (e) => e.event.type === 'assistant.failed',
      "the interrupted turn at the survivor's tab",
      30_000,
    );
    const entryMs = stampClock() - killedAt;
    const { rows } = await database.query(
      'SELECT extract(epoch FROM claimed_at) * 1000 AS at FROM conversation_owners WHERE conversation_id = $1',
      [id],
    );
    await emulator.call({ type: 'stats' });
    return {
      killed: killed + 1,
      offsetMs: killOffsetMs(rep),
      lockMs: Number(rows[0]?.at) - killedAtWall,
      entryMs,
      kind: String((failed.event as { kind?: string }).kind),
    };
  } finally {
    for (const client of clients) client.close();
    await Promise.allSettled(running.map(stopInstance));
    await dropDatabase(database.name);
  }
}

// ---- the report ----

function ratio(value: number, floor: number) {
  return Number.isFinite(value) && Number.isFinite(floor) && floor !== 0
    ? `${fixed(value / floor, 2)}×`
    : '—';
}

function table(
  title: string,
  headers: [string, string, string],
  rows: [string, number, number, number?][],
) {
  console.log(title);
  console.log(
    `  ${'figure'.padEnd(64)} ${headers[0].padStart(10)} ${headers[1].padStart(10)} ${headers[2].padStart(14)}`,
  );
  for (const [label, floor, value, digits = 1] of rows) {
    console.log(
      `  ${label.padEnd(64)} ${fixed(floor, digits).padStart(10)} ${fixed(value, digits).padStart(10)} ${ratio(value, floor).padStart(14)}`,
    );
  }
}

console.log('Tollgate scale-out benchmark: PostgreSQL and several instances');
console.log(`Machine: ${machineDescription()}`);
console.log(`Load average before the runs: ${loadAverage()}`);
const settings = await adminQuery(
  `SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
     current_setting('synchronous_commit') AS sync, current_setting('shared_buffers') AS buffers`,
);
const pgInfo = settings.rows[0] as Record<string, string>;
console.log(
  `PostgreSQL ${pgInfo.version} at ${new URL(ADMIN_URL).host} (fsync ${pgInfo.fsync}, synchronous_commit ${pgInfo.sync}, ` +
    `shared_buffers ${pgInfo.buffers}); a fresh database per run, dropped after it`,
);
const clock = await clockOffset(emulator);
console.log(
  `Processes: emulator in its own child; each instance = src/main.ts child (LOG_LEVEL=warn, fresh data dir); ` +
    `WS clients in this process; 127.0.0.1 only. Clock check: emulator − bench = ${fixed(clock.offset, 3)} ms`,
);
console.log(
  `Scenario: ${CONVERSATIONS} conversations, ${DELTAS} stamped text deltas ${DELAY_MS} ms apart each, all turns started at once, ` +
    `after ${WARM_UP.conversations} unmeasured turns of ${WARM_UP.deltas} deltas on the same instances; ${ROUNDS} rounds ` +
    `of the three configurations, the order reversed every other round\n`,
);

const results: RunResult[] = [];
const failovers: Failover[] = [];
const errors: string[] = [];
try {
  console.log('Runs:');
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? CONFIGS : [...CONFIGS].reverse();
    for (const config of order) {
      if (stopping) break;
      try {
        const result = await run(config, round);
        results.push(result);
        console.log(runLine(result));
        for (const problem of result.problems) console.log(`    ! ${problem}`);
      } catch (error) {
        if (stopping) break;
        const message = `round ${round} ${config.label}: ${(error as Error).stack ?? error}`;
        errors.push(message);
        console.log(`  ! ${message}`);
        // What it queued and did not use would answer the next run's requests: a new emulator.
        emulator.close();
        emulator = await startEmulatorChild();
      }
    }
  }
  console.log('\nFailovers:');
  for (let rep = 0; rep < FAILOVERS && !stopping; rep++) {
    try {
      const failover = await failoverOnce(rep);
      failovers.push(failover);
      console.log(
        `  ${rep + 1}. killed instance ${failover.killed} (${failover.offsetMs} ms after the ${DELTAS_BEFORE_KILL}th delta): kill → lock taken ${fixed(failover.lockMs, 0)} ms, ` +
          `kill → assistant.failed (${failover.kind}) at the survivor's tab ${fixed(failover.entryMs, 0)} ms`,
      );
    } catch (error) {
      if (stopping) break;
      const message = `failover ${rep + 1}: ${(error as Error).stack ?? error}`;
      errors.push(message);
      console.log(`  ! ${message}`);
      emulator.close();
      emulator = await startEmulatorChild();
    }
  }
} finally {
  await cleanUp();
}

const of = (config: Config) => results.filter((r) => r.config === config);
const [sqlite, postgres, two] = CONFIGS.map(of) as [RunResult[], RunResult[], RunResult[]];
const med = (runs: RunResult[], figure: (r: RunResult) => number) => median(runs.map(figure));
const cpuSum = (r: RunResult) => r.cpuPerK.instances.reduce((sum, ms) => sum + ms, 0);

console.log(
  `\nMedians over the runs (${sqlite.length}, ${postgres.length} and ${two.length} runs); latencies are each run's percentile ` +
    'over every delta at those tabs, emulator send stamp → client receive; CPU from /proc/<pid>/stat (utime + stime, all ' +
    'threads) per 1,000 deltas streamed; appends = log rows of the run’s conversations ÷ the run’s wall time, commits = ' +
    'the distinct transactions (xmin) that wrote those rows (PostgreSQL only)\n',
);
table(
  '1. One instance: SQLite vs PostgreSQL',
  ['SQLite', 'PostgreSQL', 'PG ÷ SQLite'],
  [
    ['server CPU per 1,000 deltas (ms)', med(sqlite, cpuSum), med(postgres, cpuSum)],
    [
      'PostgreSQL server CPU per 1,000 deltas (ms, all its processes)',
      Number.NaN,
      med(postgres, (r) => r.cpuPerK.postgres),
    ],
    [
      'server + PostgreSQL CPU per 1,000 deltas (ms)',
      med(sqlite, cpuSum),
      med(postgres, (r) => cpuSum(r) + r.cpuPerK.postgres),
    ],
    ['delta latency p50 (ms)', med(sqlite, (r) => r.owner.p50), med(postgres, (r) => r.owner.p50)],
    ['delta latency p99 (ms)', med(sqlite, (r) => r.owner.p99), med(postgres, (r) => r.owner.p99)],
    [
      `delta latency p99 after each stream's first ${STEADY_AFTER} deltas (ms)`,
      med(sqlite, (r) => r.owner.steadyP99),
      med(postgres, (r) => r.owner.steadyP99),
    ],
    [
      'first delta after the request, p50 over the conversations (ms)',
      med(sqlite, (r) => r.firstDelta.p50),
      med(postgres, (r) => r.firstDelta.p50),
      0,
    ],
    [
      'first delta after the request, p99 (ms)',
      med(sqlite, (r) => r.firstDelta.p99),
      med(postgres, (r) => r.firstDelta.p99),
      0,
    ],
    [
      'entries appended per second (log rows ÷ wall time)',
      med(sqlite, (r) => r.entriesPerS),
      med(postgres, (r) => r.entriesPerS),
      0,
    ],
    ['append commits per second', Number.NaN, med(postgres, (r) => r.commitsPerS), 0],
    ['entries per commit', Number.NaN, med(postgres, (r) => r.entriesPerS / r.commitsPerS)],
    [
      'machine busy during the run (% of both cores)',
      med(sqlite, (r) => r.machineBusyShare * 100),
      med(postgres, (r) => r.machineBusyShare * 100),
      0,
    ],
    [
      "server's main thread waiting for a core (% of the run)",
      med(sqlite, (r) => r.instanceWaitShare[0]! * 100),
      med(postgres, (r) => r.instanceWaitShare[0]! * 100),
      0,
    ],
  ],
);
console.log('');
table(
  '2. Two instances vs one, both on PostgreSQL (two: a tab on each instance per conversation)',
  ['one', 'two', 'two ÷ one'],
  [
    ["instances' CPU per 1,000 deltas, sum (ms)", med(postgres, cpuSum), med(two, cpuSum)],
    [
      '  instance 1 (two: owns half, follows half)',
      med(postgres, cpuSum),
      med(two, (r) => r.cpuPerK.instances[0] ?? Number.NaN),
    ],
    [
      '  instance 2 (two: owns half, follows half)',
      med(postgres, cpuSum),
      med(two, (r) => r.cpuPerK.instances[1] ?? Number.NaN),
    ],
    [
      'PostgreSQL server CPU per 1,000 deltas (ms)',
      med(postgres, (r) => r.cpuPerK.postgres),
      med(two, (r) => r.cpuPerK.postgres),
    ],
    [
      "delta latency p50, owner's tabs (ms)",
      med(postgres, (r) => r.owner.p50),
      med(two, (r) => r.owner.p50),
    ],
    [
      "delta latency p99, owner's tabs (ms)",
      med(postgres, (r) => r.owner.p99),
      med(two, (r) => r.owner.p99),
    ],
    [
      `delta latency p99 after the first ${STEADY_AFTER}, owner's tabs (ms)`,
      med(postgres, (r) => r.owner.steadyP99),
      med(two, (r) => r.owner.steadyP99),
    ],
    [
      "delta latency p50, followers' tabs (ms; one: its only tab)",
      med(postgres, (r) => r.owner.p50),
      med(two, (r) => r.follower.p50),
    ],
    [
      "delta latency p99, followers' tabs (ms; one: its only tab)",
      med(postgres, (r) => r.owner.p99),
      med(two, (r) => r.follower.p99),
    ],
    [
      `delta latency p99 after the first ${STEADY_AFTER}, followers' tabs (ms)`,
      med(postgres, (r) => r.owner.steadyP99),
      med(two, (r) => r.follower.steadyP99),
    ],
    [
      'first delta after the request, p50 (ms)',
      med(postgres, (r) => r.firstDelta.p50),
      med(two, (r) => r.firstDelta.p50),
      0,
    ],
    [
      'entries appended per second',
      med(postgres, (r) => r.entriesPerS),
      med(two, (r) => r.entriesPerS),
      0,
    ],
    [
      'append commits per second (both instances)',
      med(postgres, (r) => r.commitsPerS),
      med(two, (r) => r.commitsPerS),
      0,
    ],
    [
      'machine busy during the run (% of both cores)',
      med(postgres, (r) => r.machineBusyShare * 100),
      med(two, (r) => r.machineBusyShare * 100),
      0,
    ],
    [
      "instances' main threads waiting for a core (% of the run, mean)",
      med(postgres, (r) => r.instanceWaitShare[0]! * 100),
      med(two, (r) => (r.instanceWaitShare.reduce((sum, share) => sum + share, 0) * 100) / 2),
      0,
    ],
  ],
);

const entryTimes = failovers.map((f) => f.entryMs);
const lockTimes = failovers.map((f) => f.lockMs);
console.log(
  `\n3. Failover (${failovers.length} repetitions): owner SIGKILLed mid-stream (${DELTAS} deltas ${DELAY_MS} ms apart) → ` +
    "the new owner's assistant.failed (interrupted) at the survivor's tab",
);
console.log(
  `  kill → entry at the tab: ${entryTimes.map((ms) => fixed(ms, 0)).join(', ')} ms; median ${fixed(median(entryTimes), 0)} ms ` +
    `(floor: a take-over attempt every ${TAKE_OVER_EVERY_MS} ms, so about ${TAKE_OVER_EVERY_MS / 2} ms on average; ` +
    `median ÷ ${TAKE_OVER_EVERY_MS} ms = ${ratio(median(entryTimes), TAKE_OVER_EVERY_MS)})`,
);
console.log(
  `  of it, kill → lock taken (claimed_at): ${lockTimes.map((ms) => fixed(ms, 0)).join(', ')} ms; median ${fixed(median(lockTimes), 0)} ms`,
);

const problems = results.filter((r) => r.problems.length > 0).length;
if (problems > 0 || errors.length > 0) {
  console.log(
    `\n! ${problems} runs with problems (listed under each run above), ${errors.length} runs that failed`,
  );
}
console.log(`\nLoad average after the runs: ${loadAverage()}`);
