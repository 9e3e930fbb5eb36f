import { describe, expect, it } from 'vitest';
import { nodeFlagsOf, npmScript, startNodeFlags } from './start-node-flags.ts';

describe('the Node flags npm start gives the server', () => {
  it('reads the flags between node and the start script', () => {
    expect(
      nodeFlagsOf('node --max-semi-space-size=8 --trace-gc server/scripts/start.mjs --serve'),
    ).toEqual(['--max-semi-space-size=8', '--trace-gc']);
    expect(nodeFlagsOf('node server/scripts/start.mjs')).toEqual([]);
  });

  it('refuses a script of another shape', () => {
    expect(() => nodeFlagsOf('tsx server/src/main.ts')).toThrow(/Expected "node \[flags\]/);
    expect(() => nodeFlagsOf('node --x value server/scripts/start.mjs')).toThrow(/"value"/);
  });

  it('gives the same flags to npm start, serve and dev', () => {
    const flags = startNodeFlags();
    expect(flags).toContain('--max-semi-space-size=8');
    expect(nodeFlagsOf(npmScript('serve'))).toEqual(flags);
    expect(nodeFlagsOf(npmScript('dev'))).toEqual(flags);
  });
});
