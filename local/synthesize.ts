import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildCrmApp } from '../infra/crm-app';
import type { StackTemplate } from './template-resolver';

/**
 * Synthesizes the same CDK app that deploys to AWS, for the stage `local`, with bundling skipped
 * (the local runtime imports the handler sources directly), and returns its templates. `context` is
 * what `-c key=value` gives `cdk synth` (the stage's overrides, infra/crm-app.ts).
 */
export function synthesizeTemplates(stage = 'local', context: Record<string, string> = {}): StackTemplate[] {
  const outdir = mkdtempSync(join(tmpdir(), 'crm-synth-'));
  try {
    const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    buildCrmApp(app, stage);
    return app.synth().stacks.map((s) => ({ stackName: s.stackName, template: s.template }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
