import type { Writable } from 'node:stream';

/**
 * Holds a stream's writes until the end of the current event-loop turn, so the messages sent in
 * one turn leave in one write (the stream's writev) instead of one system call each. Each message
 * stays its own WebSocket frame: ws frames a message before it writes it.
 */
export function createTurnCork(stream: Pick<Writable, 'cork' | 'uncork'>) {
  let corked = false;
  const release = () => {
    corked = false;
    stream.uncork();
  };
  return {
    /** Call before each write: the first of a turn corks the stream and schedules the uncork. */
    hold() {
      if (corked) return;
      corked = true;
      stream.cork();
      // After the turn's synchronous sends, before promise jobs and any I/O (a send from a promise
      // job corks again, and goes out in a write of its own).
      process.nextTick(release);
    },
  };
}
