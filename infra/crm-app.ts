import type { App } from 'aws-cdk-lib';
import { acknowledgeNagFindings } from './nag-acknowledgements';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';
import { stageConfig } from './stage-config';

/**
 * The whole CRM for one stage: `crm-<stage>-stateful` (data, identity, bus) and
 * `crm-<stage>-stateless` (functions, API, rules, flows), which depends on it.
 *
 * Environment-agnostic (no account, region or lookups), so it synthesizes offline, and the local
 * runtime can build it with bundling skipped and read both templates.
 */
export function buildCrmApp(app: App, stage: string): { stateful: StatefulStack; stateless: StatelessStack } {
  const mailFrom: unknown = app.node.tryGetContext('mailFrom');
  const config = stageConfig(stage, { mailFrom: typeof mailFrom === 'string' ? mailFrom : undefined });

  const stateful = new StatefulStack(app, `crm-${stage}-stateful`, {
    config,
    description: `CRM ${stage}: table, event bus, user pool, mail configuration`,
    terminationProtection: config.deletionProtection,
  });
  const stateless = new StatelessStack(app, `crm-${stage}-stateless`, {
    config,
    description: `CRM ${stage}: functions, HTTP API, rules and flows`,
    table: stateful.table,
    bus: stateful.bus,
    userPool: stateful.userPool,
    userPoolClient: stateful.userPoolClient,
    configurationSet: stateful.configurationSet,
  });
  stateless.addStackDependency(stateful);

  acknowledgeNagFindings(stateful, stateless, config);
  return { stateful, stateless };
}
