// Decides, as Bedrock's runtime would, whether a request to InvokeModelWithResponseStream is
// accepted: the route, a credential, Bedrock's own body rules (the model goes in the path and the
// version in the body), then the Messages API's rules for the rest of the body. Follows what
// @anthropic-ai/bedrock-sdk 1.1.3 sends; claude-wire.md has no facts of Bedrock itself.

import { type IncomingRequest, parseBody, reject, type Verdict } from './judge-request.ts';
import { requestBodyViolations } from './request-body-rules.ts';

const STREAM_ROUTE = /^\/model\/([^/]+)\/invoke-with-response-stream$/;
/** The form of a SigV4 `Authorization` for the `bedrock` service; the signature is not recomputed. */
const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[a-z0-9-]+\/bedrock\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/;

/** True for the paths Bedrock's runtime answers (`/model/…`), which this judge rules on. */
export function isBedrockPath(path: string): boolean {
  return path.startsWith('/model/');
}

const malformed = (problem: string) =>
  `Malformed input request: ${problem}, please reformat your input and try again.`;

export function judgeBedrockRequest(request: IncomingRequest): Verdict {
  const path = new URL(request.url, 'http://emulator.invalid').pathname;
  const route = STREAM_ROUTE.exec(path);
  if (request.method !== 'POST' || !route?.[1]) {
    return reject(404, 'UnknownOperationException', [`emulator: no Bedrock operation at ${path}`]);
  }
  const authorization = request.headers.authorization ?? '';
  if (!authorization) {
    return reject(403, 'MissingAuthenticationTokenException', ['Missing Authentication Token']);
  }
  if (!/^Bearer\s+\S/.test(authorization) && !SIGV4.test(authorization)) {
    return reject(403, 'UnrecognizedClientException', [
      'The security token included in the request is invalid.',
    ]);
  }
  const parsed = parseBody(request.rawBody);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
    return reject(400, 'ValidationException', [malformed('the body is not a JSON object')]);
  }
  const {
    anthropic_version: version,
    anthropic_beta: _beta,
    ...rest
  } = parsed.value as Record<string, unknown>;
  const extraneous = ['model', 'stream'].filter((key) => key in rest);
  if (extraneous.length > 0) {
    return reject(
      400,
      'ValidationException',
      extraneous.map((key) => malformed(`extraneous key [${key}] is not permitted`)),
    );
  }
  // Any version is taken: this SDK sends its API version (2026-10-21), where Bedrock's documents
  // name bedrock-2023-05-31, and nothing here can tell which Bedrock accepts today.
  if (typeof version !== 'string' || version === '') {
    return reject(400, 'ValidationException', [
      malformed('required key [anthropic_version] not found'),
    ]);
  }
  const model = decodeURIComponent(route[1]);
  const violations = requestBodyViolations({ ...rest, model, stream: true }, { beta: false });
  if (violations.length > 0) return reject(400, 'ValidationException', violations);
  return { accepted: true, body: { ...rest, model }, stream: true };
}
