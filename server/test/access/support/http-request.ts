import { type IncomingHttpHeaders, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One plain HTTP request, redirects not followed, from a chosen local address when given (to
 * come from 127.0.0.2 without leaving loopback): what a browser or a proxy would send.
 */
export function httpRequest(
  url: string,
  {
    method = 'GET',
    headers = {},
    localAddress,
  }: { method?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers, ...(localAddress ? { localAddress } : {}) });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    outgoing.end();
  });
}

/** The Cookie header a browser sends back for the Set-Cookie of `answer`. */
export function cookieOf(answer: HttpAnswer): string {
  const set = answer.headers['set-cookie']?.[0];
  if (!set) throw new Error(`no Set-Cookie in the answer (${answer.status})`);
  return set.split(';')[0]!;
}
