import { describe, expect, it } from 'vitest';
import { readAppConfig } from '../../src/app-config.ts';
import { isLoopbackHost, readAccessSettings } from '../../src/http/access-settings.ts';

describe('which hosts stay on this machine', () => {
  it('counts 127.0.0.0/8, ::1 and localhost as loopback, and everything else as the network', () => {
    for (const host of [
      '127.0.0.1',
      '127.3.2.1',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      'localhost',
      'LocalHost',
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.20',
      '128.0.0.1',
      '::2',
      'example.com',
      'localhost.example.com',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('the access settings', () => {
  it('refuse a network HOST without APP_TOKEN, saying what to set', () => {
    const { problems } = readAccessSettings({}, '0.0.0.0');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^HOST=0\.0\.0\.0 lets other machines connect, and there is no APP_TOKEN/,
    );
    expect(problems[0]).toContain('Set APP_TOKEN');
    expect(problems[0]).toContain('HOST=127.0.0.1');
    expect(problems[0]).toContain('ALLOW_ANONYMOUS=1');
    // The whole configuration refuses to start with it.
    expect(readAppConfig({ HOST: '0.0.0.0' }, '/tmp/tollgate')).toMatchObject({ ok: false });
  });

  it('take a network HOST with a token, or with ALLOW_ANONYMOUS=1, which they flag for a warning', () => {
    expect(readAccessSettings({ APP_TOKEN: ' s3cret ' }, '0.0.0.0')).toEqual({
      settings: {
        appToken: 's3cret',
        anonymousOnNetwork: false,
        trustedProxies: [],
        trustedUserHeader: null,
      },
      problems: [],
    });
    const anonymous = readAccessSettings({ ALLOW_ANONYMOUS: '1' }, '::');
    expect(anonymous.problems).toEqual([]);
    expect(anonymous.settings.anonymousOnNetwork).toBe(true);
    // A token, or loopback, makes the opt-out moot: nothing to warn about.
    expect(
      readAccessSettings({ ALLOW_ANONYMOUS: 'true', APP_TOKEN: 't' }, '0.0.0.0').settings,
    ).toMatchObject({ anonymousOnNetwork: false });
    expect(readAccessSettings({ ALLOW_ANONYMOUS: '1' }, '127.0.0.1').settings).toMatchObject({
      anonymousOnNetwork: false,
    });
    expect(readAccessSettings({}, 'localhost').problems).toEqual([]);
    expect(readAccessSettings({ ALLOW_ANONYMOUS: 'yes' }, '127.0.0.1').problems).toEqual([
      'ALLOW_ANONYMOUS="yes" must be 1 or empty.',
    ]);
  });

  it('read trusted proxies as addresses or CIDR ranges, and the person header with them', () => {
    const read = readAccessSettings(
      {
        TRUSTED_PROXIES: ' 10.0.0.5, 172.16.0.0/12 ,fd00::/8,::1,',
        TRUSTED_USER_HEADER: 'Remote-User',
      },
      '127.0.0.1',
    );
    expect(read).toEqual({
      settings: {
        appToken: null,
        anonymousOnNetwork: false,
        trustedProxies: ['10.0.0.5', '172.16.0.0/12', 'fd00::/8', '::1'],
        trustedUserHeader: 'remote-user',
      },
      problems: [],
    });
    const bad = readAccessSettings(
      { TRUSTED_PROXIES: 'proxy.local,10.0.0.0/33,10.0.0.0/,::/129,1.2.3.4/8/1' },
      '127.0.0.1',
    );
    expect(bad.problems.map((p) => /"([^"]*)"/.exec(p)?.[1])).toEqual([
      'proxy.local',
      '10.0.0.0/33',
      '10.0.0.0/',
      '::/129',
      '1.2.3.4/8/1',
    ]);
    expect(
      readAccessSettings({ TRUSTED_USER_HEADER: 'Remote-User' }, '127.0.0.1').problems,
    ).toEqual([expect.stringMatching(/^TRUSTED_USER_HEADER=Remote-User needs TRUSTED_PROXIES/)]);
    expect(
      readAccessSettings({ TRUSTED_USER_HEADER: 'Remote User', TRUSTED_PROXIES: '::1' }, '::1')
        .problems,
    ).toEqual(['TRUSTED_USER_HEADER="Remote User" must be a header name, such as Remote-User.']);
  });
});
