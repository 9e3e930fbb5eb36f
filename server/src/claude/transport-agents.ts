import http from 'node:http';
import https from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { type ProxySettings, proxyFor } from './proxy-settings.ts';

/**
 * How long a kept-alive connection may sit unused in the pool before it is closed: a little less
 * than servers keep them (Node's fetch closes them after 4 s), so a new request is not sent on a
 * connection the server is closing, which would cost one of the SDK's retries.
 */
const POOLED_IDLE_MS = 4_000;

type Protocol = 'http:' | 'https:';

/** What a proxy answered to CONNECT (https-proxy-agent's `proxyConnect` event). */
interface ProxyConnectAnswer {
  statusCode: number;
  statusText: string;
}

/**
 * The connection pools of the Claude transport (node-http-fetch.ts), one per way out: straight
 * to the host, or through the proxy the environment names (proxy-settings.ts). Proxied requests
 * use TooTallNate's proxy agents, which are `http.Agent`s like the direct ones, so the transport
 * treats both alike and connections through the proxy are kept alive too: https:// through
 * CONNECT (a tunnel; TLS runs end to end inside it, so the proxy sees only the host name), http://
 * as an absolute-URL request to the proxy.
 */
export function createTransportAgents(proxy: ProxySettings): (target: URL) => http.Agent {
  const options = { keepAlive: true, timeout: POOLED_IDLE_MS };
  const direct: Record<Protocol, http.Agent> = {
    'http:': new http.Agent(options),
    'https:': new https.Agent(options),
  };
  const proxied: Record<Protocol, http.Agent | null> = {
    'http:': proxy.http ? new HttpProxyAgent(proxy.http, options) : null,
    'https:': proxy.https ? tunnelRefusalsFail(new HttpsProxyAgent(proxy.https, options)) : null,
  };
  return (target) => {
    const protocol = target.protocol as Protocol;
    return (proxyFor(target, proxy) && proxied[protocol]) || direct[protocol];
  };
}

/**
 * A proxy that refuses the tunnel (403 by policy, 407 for credentials) would otherwise reach the
 * SDK as an HTTP answer from Claude itself, which it reads as an API error ("a bug in Tollgate"
 * for a 407). Failing the request instead makes it a connection error that names the proxy's
 * answer, which is what went wrong.
 */
function tunnelRefusalsFail(agent: HttpsProxyAgent<string>): HttpsProxyAgent<string> {
  agent.on('proxyConnect', (answer: ProxyConnectAnswer, request: http.ClientRequest) => {
    if (answer.statusCode === 200) return;
    const refusal = new Error(
      `the proxy ${agent.proxy.host} refused the tunnel to ${request.host}: ${answer.statusCode} ${answer.statusText}`,
    );
    request.destroy(Object.assign(refusal, { code: 'EPROXYREFUSED' }));
  });
  return agent;
}
