import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    infraOutRoot: string;
  }
}

let root: string | undefined;

/** One parent dir for every cloud assembly the infra tests write, removed when they end. */
export function setup(project: TestProject): void {
  root = mkdtempSync(join(tmpdir(), 'crm-infra-test-'));
  project.provide('infraOutRoot', root);
}

export function teardown(): void {
  if (root) rmSync(root, { recursive: true, force: true });
}
