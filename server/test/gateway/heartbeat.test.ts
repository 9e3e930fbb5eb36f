import { describe, expect, it } from 'vitest';
import { createTestGateway } from './support/gateway-harness.ts';
import { createLinkedSocketPair } from './support/linked-socket-pair.ts';

describe('the heartbeat', () => {
  it('terminates a socket that does not answer pings and keeps one that does', async () => {
    const { connect } = createTestGateway({ limits: { heartbeatMs: 10 } });
    const silent = connect({ answerPings: false });
    const live = connect();

    // The silent socket gets one ping and is dropped at the next beat; by the live one's third
    // ping, two beats have checked that it answered.
    await live.pinged(3);
    expect(live.closure()).toBeNull();
    expect(await silent.closed).toEqual({ code: 1006, reason: '', terminated: true });
    expect(silent.pings()).toBe(1);
  });

  it('stops when the gateway closes, dropping every connection and any new one', async () => {
    const { gateway, connect } = createTestGateway({ limits: { heartbeatMs: 10 } });
    const client = connect();
    await client.pinged(1);
    gateway.close();
    expect(client.closure()).toMatchObject({ terminated: true });

    const late = createLinkedSocketPair();
    gateway.accept(late.server);
    expect(late.client.closure()).toMatchObject({ terminated: true });
    expect(late.client.messages()).toEqual([]);
  });
});
