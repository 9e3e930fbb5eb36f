// What the benchmarks read about another process from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
export const CLOCK_TICKS = Number(
  execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(),
);

/** CPU time the process has used so far, user + system, all threads, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses; the fields after its last ')' start at
  // field 3 (state), so utime (field 14) and stime (field 15) are at 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / CLOCK_TICKS) * 1000;
}

/**
 * How long the process's main thread has run on a core and waited on a run queue for one, in
 * milliseconds (`/proc/<pid>/task/<pid>/schedstat`, in nanoseconds). Together they tell a thread
 * that is saturated (runnable nearly all the time) from one held back by other processes.
 */
export function mainThreadSchedMs(pid: number): { run: number; wait: number } {
  const [run = 0, wait = 0] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')
    .trim()
    .split(' ')
    .map(Number);
  return { run: run / 1e6, wait: wait / 1e6 };
}

/** Resident set size in KiB (VmRSS). */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

/** The peak resident set size since the process started, in KiB (VmHWM). */
export function peakRssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmHWM for process ${pid}`);
  return Number(match[1]);
}

/**
 * Waits until the RSS has not grown for `quietMs` (polling every 100 ms, at most `maxMs`), and
 * returns it: a figure taken while the process is still allocating would be too low.
 */
export async function settledRssKiB(pid: number, quietMs = 1000, maxMs = 15_000): Promise<number> {
  const started = Date.now();
  let highest = rssKiB(pid);
  let grewAt = Date.now();
  while (Date.now() - grewAt < quietMs && Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rss = rssKiB(pid);
    if (rss > highest) {
      highest = rss;
      grewAt = Date.now();
    }
  }
  return rssKiB(pid);
}

/** What the report says about the machine. */
export function machineDescription(): string {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU';
  const cores = execFileSync('nproc', { encoding: 'utf8' }).trim();
  return `${cores} cores (nproc), ${model}, Node ${process.version}, CLK_TCK ${CLOCK_TICKS}`;
}
