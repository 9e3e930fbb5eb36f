// `npm start` runs this first: it builds the tool server and the chat page only when their sources
// are newer than their last build, so a start after a fresh clone builds, and later starts do not.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.parentPath.includes('node_modules') || entry.parentPath.includes('.next')) continue;
    if (entry.isFile())
      latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

const builtAt = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : 0);

const targets = [
  { workspace: 'mcp-tools', sources: ['mcp-tools/src'], output: 'mcp-tools/dist/stdio.js' },
  {
    workspace: 'web',
    sources: ['web/app', 'web/components', 'web/lib', 'web/hooks', 'machines/src'],
    output: 'web/.next/BUILD_ID',
  },
];
for (const target of targets) {
  const sourcesAt = Math.max(...target.sources.map((dir) => newest(join(root, dir))));
  if (sourcesAt <= builtAt(join(root, target.output))) continue;
  process.stdout.write(`Building ${target.workspace}…\n`);
  execFileSync('npm', ['run', 'build', '-w', target.workspace], { cwd: root, stdio: 'inherit' });
}
