import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAMBDA_RUNTIME } from '../../../infra/constructs/crm-function';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { devDependencies: Record<string, string> };
const lambdaMajor = Number(/^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME.name)?.[1]);

// The suite exercises the runtime production runs: a machine whose own node is older still runs
// the tests on the `node` package's binary, which npm scripts put first on PATH.
describe('toolchain', () => {
  it('runs the tests on the Node major that Lambda runs', () => {
    expect(lambdaMajor).toBeGreaterThanOrEqual(22);
    expect(Number(process.versions.node.split('.')[0])).toBe(lambdaMajor);
  });

  it('pins the node package to that major', () => {
    expect(pkg.devDependencies.node).toMatch(new RegExp(`^${lambdaMajor}\\.\\d+\\.\\d+$`));
  });
});
