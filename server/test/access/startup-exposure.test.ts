import { afterEach, describe, expect, it } from 'vitest';
import { serverDirs, startServerProcess } from '../server/server-process.ts';
import { connectClient } from '../server/ws-test-client.ts';
import { type AccessServer, outputMatching, startAccessServer } from './support/access-server.ts';
import { httpRequest } from './support/http-request.ts';

// The server listens on every interface here, as the settings under test ask; the tests only
// ever connect to it on 127.0.0.1.

let server: AccessServer | undefined;
afterEach(async () => {
  await server?.process.kill('SIGKILL');
  server = undefined;
});

describe('listening beyond loopback', () => {
  it('without APP_TOKEN, refuses to start and says what to set', async () => {
    const dirs = await serverDirs();
    const start = startServerProcess({
      HOST: '0.0.0.0',
      DATA_DIR: dirs.dataDir,
      WORKSPACE_DIR: dirs.workspaceDir,
    });
    await expect(start).rejects.toThrow(
      /server exited \(1\) before starting:\nTollgate cannot start:\n {2}- HOST=0\.0\.0\.0 lets other machines connect, and there is no APP_TOKEN: .*Set APP_TOKEN .*ALLOW_ANONYMOUS=1/,
    );
  });

  it('with ALLOW_ANONYMOUS=1, starts, warns loudly, and lets anyone in', async () => {
    server = await startAccessServer({ HOST: '0.0.0.0', ALLOW_ANONYMOUS: '1' });
    const output = await outputMatching(server.process, /WARNING: ALLOW_ANONYMOUS=1/);
    expect(output).toMatch(
      /!{78}\nWARNING: ALLOW_ANONYMOUS=1 and HOST=0\.0\.0\.0: anyone who can reach port \d+\ncan chat with your Claude key/,
    );
    expect((await httpRequest(`${server.url}/`)).status).toBe(200);
    const anyone = await connectClient(server.wsUrl);
    await anyone.waitForMessage('hello');
    anyone.close();
  });

  it('with APP_TOKEN, starts, says how to get in, and asks for the token', async () => {
    server = await startAccessServer({ HOST: '0.0.0.0', APP_TOKEN: 'a-long-random-token' });
    const output = await outputMatching(server.process, /\?token=<APP_TOKEN>/);
    expect(output).toMatch(/Open http:\/\/0\.0\.0\.0:\d+\/\?token=<APP_TOKEN>/);
    expect((await httpRequest(`${server.url}/`)).status).toBe(401);
  });
});
