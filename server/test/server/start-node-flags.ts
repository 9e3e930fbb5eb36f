import { readFileSync } from 'node:fs';

const ROOT_PACKAGE = new URL('../../../package.json', import.meta.url);
const START_SCRIPT = 'server/scripts/start.mjs';

/**
 * The Node flags of an npm script that runs the server (`node <flags> server/scripts/start.mjs
 * …`). Refuses any other shape, so a change to the script cannot silently drop its flags.
 */
export function nodeFlagsOf(script: string): string[] {
  const words = script.trim().split(/\s+/);
  const entry = words.indexOf(START_SCRIPT);
  if (words[0] !== 'node' || entry === -1) {
    throw new Error(`Expected "node [flags] ${START_SCRIPT} …", got "${script}".`);
  }
  const flags = words.slice(1, entry);
  const stray = flags.find((word) => !word.startsWith('--'));
  if (stray !== undefined)
    throw new Error(`Expected only --flags before ${START_SCRIPT}: "${stray}".`);
  return flags;
}

/** The root package.json's script `name` ('' if there is none). */
export function npmScript(name: string): string {
  const { scripts } = JSON.parse(readFileSync(ROOT_PACKAGE, 'utf8')) as {
    scripts: Record<string, string>;
  };
  return scripts[name] ?? '';
}

/** The flags `npm start` gives Node (package.json), for running the built server as it does. */
export function startNodeFlags(): string[] {
  return nodeFlagsOf(npmScript('start'));
}
