import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the run's totals as one plain line ("tests: N passed, N failed, N skipped"), the form CI
 * reads in any language, after vitest's own summary; then one line per failed test (its file, its
 * name and the first line of its error), so the tail of a long CI log still says what failed.
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    const failures: string[] = [];
    for (const module of testModules) {
      const file = relative(process.cwd(), module.moduleId);
      for (const test of module.children.allTests()) {
        const result = test.result();
        counts[result.state] += 1;
        if (result.state === 'failed') {
          const reason = result.errors?.[0]?.message?.split('\n')[0] ?? 'no error message';
          failures.push(`failed: ${file} > ${test.fullName}: ${reason}`);
        }
      }
      for (const error of module.errors()) {
        failures.push(`failed: ${file}: ${error.message?.split('\n')[0] ?? 'error'}`);
      }
    }
    process.stdout.write(
      `\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped + counts.pending} skipped\n`,
    );
    for (const line of failures) process.stdout.write(`${line}\n`);
  }
}
