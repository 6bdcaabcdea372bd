import type { Reporter, TestModule } from 'vitest/node';

/** Prints one plain closing line, "N passed, N failed", that CI systems can read without parsing vitest's output. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    const failedModules = testModules.filter((m) => m.state() === 'failed' && m.children.size === 0).length;
    console.log(`\nvitest: ${counts.passed} passed, ${counts.failed + failedModules} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  }
}
