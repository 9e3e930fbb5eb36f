// How Tollgate is started, in plain JavaScript so that it runs where only the runtime
// dependencies are installed (`npm ci --omit=dev`):
//
//   npm start       builds what is missing or older than its sources, when the build tools are
//                   installed, then runs the compiled server (server/dist/main.js);
//   npm run serve   runs what is built and never builds (`npm run build && npm run serve`);
//   npm run dev     as npm start, but runs the server from its TypeScript source through tsx.
//
// The server runs in this process, so signals reach it directly and no second Node starts.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const mode = { '--serve': 'serve', '--source': 'source' }[process.argv[2] ?? ''] ?? 'start';

const targets = [
  {
    workspace: 'server',
    sources: ['server/src', 'server/build', 'machines/src'],
    output: 'server/dist/main.js',
    tools: ['esbuild'],
  },
  {
    workspace: 'mcp-tools',
    sources: ['mcp-tools/src'],
    output: 'mcp-tools/dist/stdio.js',
    tools: ['typescript'],
  },
  {
    workspace: 'web',
    sources: ['web/app', 'web/components', 'web/lib', 'web/hooks', 'machines/src'],
    output: 'web/out/index.html',
    tools: ['typescript', '@tailwindcss/postcss'],
  },
].filter((target) => mode !== 'source' || target.workspace !== 'server');

function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = entry.parentPath;
    if (path.includes('node_modules') || path.includes('.next') || path.includes('web/out'))
      continue;
    if (entry.isFile())
      latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

const builtAt = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/** A development dependency is installed (npm hoists it to the root, or keeps it by its user). */
const installed = (name, workspace) =>
  [join(root, workspace), root].some((dir) =>
    existsSync(join(dir, 'node_modules', name, 'package.json')),
  );

const missing = [];
for (const target of targets) {
  const output = join(root, target.output);
  const canBuild =
    mode !== 'serve' && target.tools.every((tool) => installed(tool, target.workspace));
  if (!canBuild) {
    // Without the tools (a production install) whatever is built is what runs: file times
    // after a copy say nothing about what it was built from.
    if (!existsSync(output)) missing.push(target.output);
    continue;
  }
  const sourcesAt = Math.max(...target.sources.map((dir) => newest(join(root, dir))));
  if (sourcesAt <= builtAt(output)) continue;
  process.stdout.write(`Building ${target.workspace}…\n`);
  execFileSync('npm', ['run', 'build', '-w', target.workspace], { cwd: root, stdio: 'inherit' });
}

if (missing.length > 0) {
  const toolsHere = targets.every((t) => t.tools.every((tool) => installed(tool, t.workspace)));
  const how = toolsHere
    ? 'Run `npm run build` first, or `npm start`, which builds what is missing.'
    : 'The build tools (development dependencies) are not installed here: build where they are (`npm ci && npm run build`) and install the built copy with `npm ci --omit=dev`, or run `npm install` here and `npm start`.';
  process.stderr.write(
    `Tollgate cannot start: it is not built.\n${missing.map((file) => `  - ${file} is missing\n`).join('')}${how}\n`,
  );
  process.exit(1);
}

if (mode === 'source') {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'server/src/main.ts')).href);
} else {
  // Stack traces name dist/main.js lines (unminified, each module headed by its source path).
  // NODE_OPTIONS=--enable-source-maps maps them to the TypeScript (dist/main.js.map); not the
  // default, as it costs about 20 MB and 0.1 s at start.
  await import(pathToFileURL(join(root, 'server/dist/main.js')).href);
}
