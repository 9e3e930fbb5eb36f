// Records golden logs: real conversations, driven through the real server and the Claude
// emulator, each saved with the snapshot its log folds to. machines/src/golden-logs.test.ts folds
// every one of them with the current `replay` and expects the recorded snapshot, so a change that
// would make an old log fold differently fails until it comes with a MACHINE_VERSION bump and an
// upcaster (docs/architecture.md, "Versions and history").
//
// Recording is a deliberate act, never part of a build or a test run: do it once per machine
// version, when MACHINE_VERSION goes up (the new version's logs join the old ones), or to add a
// scenario. Files already recorded are never rewritten; the recorder refuses to.
//
//   npm run build -w mcp-tools      # the server runs the built file tools
//   npm run golden:record           # every scenario, into machines/test-fixtures/golden-logs/v<N>/
//   npm run golden:record -- approve stop-mid-tool   # only these
//   npm run golden:record -- --out /elsewhere/golden-logs
//   npm run golden:record -- --allow-dirty --out /tmp/try   # a scenario being written
//
// It records what the checked-out code does, and stamps the commit: run it on a clean checkout
// (it refuses when machines/src, server/src or mcp-tools/src have changes). To record with an
// older commit, make a worktree of it (`git worktree add ../golden-rec <commit>`, copy
// node_modules in, build mcp-tools), copy this folder into it, and run it there with --out
// pointing back at this checkout's machines/test-fixtures/golden-logs.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MACHINE_VERSION, replay } from '@tollgate/machines';
import { readWholeLog, withGoldenRun } from './golden-run.ts';
import { type GoldenScenario, goldenScenarios } from './golden-scenarios.ts';

const HERE = new URL('.', import.meta.url).pathname;
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: HERE, encoding: 'utf8' }).trim();
const ROOT = git('rev-parse', '--show-toplevel');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: join(ROOT, 'machines/test-fixtures/golden-logs') },
    'allow-dirty': { type: 'boolean', default: false },
  },
});

// Pathspecs from the top (`:/`): git reads them relative to its working directory otherwise.
const dirty = git(
  'status',
  '--porcelain',
  '--',
  ':/machines/src',
  ':/server/src',
  ':/mcp-tools/src',
);
if (dirty !== '' && !values['allow-dirty']) {
  fail(
    `the code that produces the logs has changes, so the commit would not say what ran:\n${dirty}`,
  );
}
// --allow-dirty is for trying a new scenario out (with --out elsewhere); its files say so.
const commit = `${git('rev-parse', '--short=7', 'HEAD')}${dirty === '' ? '' : '+dirty'}`;

const unknown = positionals.filter((name) => !goldenScenarios.some((s) => s.name === name));
if (unknown.length > 0) fail(`no scenario named ${unknown.join(', ')}`);
const chosen =
  positionals.length === 0
    ? goldenScenarios
    : goldenScenarios.filter((scenario) => positionals.includes(scenario.name));

const dir = join(values.out, `v${MACHINE_VERSION}`);
const fileOf = (scenario: GoldenScenario) => join(dir, `${scenario.name}.json`);
const existing = chosen.filter((scenario) => existsSync(fileOf(scenario)));
if (existing.length > 0) {
  fail(
    `already recorded for machine version ${MACHINE_VERSION}, and goldens are never rewritten: ${existing.map(fileOf).join(', ')}`,
  );
}

// All or nothing: a scenario that fails or ends in the wrong state leaves no files behind.
const recordings = [];
for (const scenario of chosen) {
  const entries = await withGoldenRun(scenario.env ?? {}, async (run) => {
    const id = await scenario.drive(run);
    const log = await readWholeLog(run, id);
    const refused = run.emulator.requests.filter((request) => request.violations.length > 0);
    if (refused.length > 0) {
      throw new Error(
        `${scenario.name}: the emulator refused a request: ${refused[0]?.violations}`,
      );
    }
    return log;
  });
  const folded = replay(entries);
  const snapshot = JSON.parse(JSON.stringify({ value: folded.value, context: folded.context }));
  if (snapshot.value !== scenario.endsIn) {
    fail(`${scenario.name} ended in ${JSON.stringify(snapshot.value)}, not ${scenario.endsIn}`);
  }
  const file = {
    scenario: scenario.name,
    recordedWith: { machineVersion: MACHINE_VERSION, commit },
    entries,
    snapshot,
  };
  recordings.push({ path: fileOf(scenario), file });
  console.log(`${scenario.name}: ${entries.length} entries, ends ${snapshot.value}`);
}

await mkdir(dir, { recursive: true });
for (const { path, file } of recordings) {
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { flag: 'wx' });
}
console.log(
  `wrote ${recordings.length} golden logs to ${dir} (machine version ${MACHINE_VERSION}, ${commit})`,
);

function fail(message: string): never {
  console.error(`golden:record: ${message}`);
  process.exit(1);
}
