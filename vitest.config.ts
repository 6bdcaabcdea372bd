import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// In-repo code imports the typed client's TypeScript source, not its built dist/ (packages/client
// exports it under this condition; tsconfig.json's customConditions tells tsc the same), so no
// build step stands between a route change and the tests. Setting conditions replaces Vitest's
// defaults, which are Vite's minus `module` (that one picks the AWS SDK's extensionless dist-es).
const serverConditions = defaultServerConditions.filter((condition) => condition !== 'module');
const clientSource = { ssr: { resolve: { conditions: ['@serverless-crm/source', ...serverConditions] } } };

// Three suites, one command. Unit tests are pure and fast; infra tests synthesize the CDK app
// for every stage; integration tests talk HTTP to one local runtime the suite starts and stops.
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        ...clientSource,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          globalSetup: ['test/infra/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...clientSource,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // One shared runtime with one clock: files that travel in time must not interleave.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
