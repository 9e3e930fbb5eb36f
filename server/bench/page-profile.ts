// What the page benchmarks record of a page with BENCH_TRACE_DIR set, to see where its time goes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * With BENCH_TRACE_DIR set, starts a JavaScript CPU profile of `page` (`<name>.cpuprofile`, for
 * the DevTools Performance panel), and with `traceCategories`, a Chromium performance trace of
 * those categories too (`<name>.json`: the same panel, or https://ui.perfetto.dev). Returns the
 * function that ends them and writes them into that folder; without BENCH_TRACE_DIR, nothing.
 */
export async function startPageProfile(
  page: Page,
  name: string,
  traceCategories: string[] = [],
): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_TRACE_DIR;
  if (!dir) return async () => {};
  const session = await page.context().newCDPSession(page);
  const events: unknown[] = [];
  session.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  const tracing = traceCategories.length > 0;
  if (tracing) {
    await session.send('Tracing.start', { traceConfig: { includedCategories: traceCategories } });
  }
  return async () => {
    if (tracing) {
      const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
      await session.send('Tracing.end');
      await complete;
    }
    const { profile } = await session.send('Profiler.stop');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    if (tracing)
      await writeFile(join(dir, `${name}.json`), JSON.stringify({ traceEvents: events }));
  };
}
