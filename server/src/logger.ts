import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stderr, so stdout stays free for anything a parent process reads. */
export function createLogger(options: { level?: string } = {}): Logger {
  return pino(
    { level: options.level ?? process.env.LOG_LEVEL ?? 'info', base: { app: 'tollgate' } },
    pino.destination(2),
  );
}
