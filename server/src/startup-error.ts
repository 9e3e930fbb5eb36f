/**
 * A reason the server cannot start that the person running it can fix (an unreachable database,
 * say): printed as a sentence, without a stack trace.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}
