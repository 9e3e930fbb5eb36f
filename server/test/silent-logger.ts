import pino from 'pino';
import type { Logger } from '../src/logger.ts';

/** A logger that drops everything, for tests that assert on behaviour rather than log lines. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
