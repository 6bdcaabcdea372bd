import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATE_COMMAND, renderClientSchema, SCHEMA_FILE } from '../../../scripts/generate-client';

// The client's types are generated and committed (so the package type-checks from a clean clone
// without a build step). A route or schema change that forgets to regenerate fails here, not in
// a user's editor.
describe('the typed client', () => {
  it(`has types generated from the current OpenAPI document (else: ${GENERATE_COMMAND})`, async () => {
    const expected = await renderClientSchema();
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    // Not toBe: a 10,000-line diff would bury the instruction.
    if (committed !== expected) {
      const line = firstDifferentLine(committed, expected);
      expect.fail(`packages/client/src/schema.ts is stale (first difference at line ${line}): run \`${GENERATE_COMMAND}\` and commit the file.`);
    }
  }, 60_000);

  it('is versioned with the API', () => {
    const version = (file: string) => (JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as { version: string }).version;
    expect(version('../../../packages/client/package.json')).toBe(version('../../../package.json'));
  });
});

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  const index = left.findIndex((line, i) => line !== right[i]);
  return (index === -1 ? left.length : index) + 1;
}
