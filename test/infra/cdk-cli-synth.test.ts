import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * The deploy path, as DevOps runs it: the pinned CDK CLI synthesizes prod offline, bundling every
 * function with the local esbuild (no Docker), and cdk-nag runs as a validation plugin.
 */
describe('npx cdk synth -c stage=prod (real CLI, real bundling)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'crm-cdk-out-'));
  let manifest: { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };

  beforeAll(async () => {
    await run('npx', ['cdk', 'synth', '-c', 'stage=prod', '--quiet', '--output', outdir], {
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
      timeout: 240_000,
    });
    manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  }, 240_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes every prod stack', () => {
    const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([name]) => name);
    expect(stacks.sort()).toEqual(['crm-prod-campaigns', 'crm-prod-integrations', 'crm-prod-marketing', 'crm-prod-processes', 'crm-prod-sales', 'crm-prod-service', 'crm-prod-stateful', 'crm-prod-stateless', 'crm-prod-users']);
  });

  it('bundles every function into an ESM asset with a separate source map', () => {
    const assets = readdirSync(outdir).filter((d) => d.startsWith('asset.') && statSync(join(outdir, d)).isDirectory());
    const bundles = assets.filter((d) => readdirSync(join(outdir, d)).includes('index.mjs'));
    expect(bundles.length).toBeGreaterThanOrEqual(6);
    for (const bundle of bundles) expect(readdirSync(join(outdir, bundle))).toContain('index.mjs.map');
  });
});
