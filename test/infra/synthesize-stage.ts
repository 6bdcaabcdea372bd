import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildCrmApp, type CrmStacks } from '../../infra/crm-app';

export interface SynthesizedStage {
  readonly app: App;
  readonly stacks: CrmStacks;
  readonly assembly: CloudAssembly;
  readonly stateful: Template;
  readonly stateless: Template;
  readonly sales: Template;
  readonly marketing: Template;
  readonly campaigns: Template;
  readonly users: Template;
  readonly service: Template;
  readonly processes: Template;
  readonly integrations: Template;
  /** Every stack with functions and routes: the stateless stack and the domain stacks. */
  readonly functionStacks: readonly Template[];
}

/** Synthesizes one stage the way the local runtime does: bundling skipped, no account or region. */
/** An App whose output dir is removed after the run (CDK's default temp dir never is). */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ outdir: mkdtempSync(join(inject('infraOutRoot'), 'app-')), context });
}

export function synthesizeStage(stage: string, context: Record<string, unknown> = {}): SynthesizedStage {
  const app = testApp({ 'aws:cdk:bundling-stacks': [], ...context });
  const stacks = buildCrmApp(app, stage);
  const assembly = app.synth();
  const [stateless, sales, marketing, campaigns, users, service, processes, integrations] = [stacks.stateless, stacks.sales, stacks.marketing, stacks.campaigns, stacks.users, stacks.service, stacks.processes, stacks.integrations].map((stack) =>
    Template.fromStack(stack),
  ) as [Template, Template, Template, Template, Template, Template, Template, Template];
  return {
    app, stacks, assembly, stateful: Template.fromStack(stacks.stateful), stateless, sales, marketing, campaigns, users, service, processes, integrations,
    functionStacks: [stateless, sales, marketing, campaigns, users, service, processes, integrations],
  };
}

/** Unacknowledged AwsSolutions findings (errors and warnings), one readable line each. */
export function nagFindings(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`),
  );
}
