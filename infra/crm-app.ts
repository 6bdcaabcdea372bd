import type { App } from 'aws-cdk-lib';
import { API_ROUTES } from '../api/route-table';
import { acknowledgeNagFindings } from './nag-acknowledgements';
import type { DomainStackProps } from './stacks/domain-stack';
import { CampaignStack } from './stacks/campaign-stack';
import { MarketingStack } from './stacks/marketing-stack';
import { SalesStack } from './stacks/sales-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';
import { ServiceStack } from './stacks/service-stack';
import { IntegrationsStack } from './stacks/integrations-stack';
import { ProcessesStack } from './stacks/processes-stack';
import { UsersStack } from './stacks/users-stack';
import { stageConfig } from './stage-config';
import { UnsubscribeKey } from './constructs/unsubscribe-key';

export interface CrmStacks {
  stateful: StatefulStack;
  stateless: StatelessStack;
  sales: SalesStack;
  marketing: MarketingStack;
  campaigns: CampaignStack;
  users: UsersStack;
  service: ServiceStack;
  processes: ProcessesStack;
  integrations: IntegrationsStack;
}

/**
 * The whole CRM for one stage: `crm-<stage>-stateful` (data, identity, bus);
 * `crm-<stage>-stateless` (the HTTP API, customers, allocation, the outbox, rules and flows), which
 * depends on it; and a stack per further domain (`crm-<stage>-sales`, `-marketing`, `-campaigns`, `-users`, `-service`, `-processes`)
 * whose functions add their routes to that API, so each stack stays under CloudFormation's 500
 * resources (docs/decisions.md, 43).
 *
 * Environment-agnostic (no account, region or lookups), so it synthesizes offline, and the local
 * runtime can build it with bundling skipped and read both templates.
 */
export function buildCrmApp(app: App, stage: string): CrmStacks {
  const mailFrom: unknown = app.node.tryGetContext('mailFrom');
  const sesMaxSendRate: unknown = app.node.tryGetContext('sesMaxSendRate');
  const campaignBatchesPerExecution: unknown = app.node.tryGetContext('campaignBatchesPerExecution');
  const corsOrigins: unknown = app.node.tryGetContext('corsOrigins');
  const alarmEmail: unknown = app.node.tryGetContext('alarmEmail');
  const dashboard: unknown = app.node.tryGetContext('dashboard');
  const inboundMailDomain: unknown = app.node.tryGetContext('inboundMailDomain');
  const config = stageConfig(stage, {
    mailFrom: typeof mailFrom === 'string' ? mailFrom : undefined,
    inboundMailDomain: inboundMailDomain === undefined ? undefined : String(inboundMailDomain),
    corsOrigins: corsOrigins === undefined ? undefined : String(corsOrigins),
    alarmEmail: alarmEmail === undefined ? undefined : String(alarmEmail),
    dashboard: dashboard === undefined ? undefined : String(dashboard) === 'true',
    sesMaxSendRate: sesMaxSendRate === undefined ? undefined : Number(sesMaxSendRate),
    campaignBatchesPerExecution: campaignBatchesPerExecution === undefined ? undefined : Number(campaignBatchesPerExecution),
  });

  const stateful = new StatefulStack(app, `crm-${stage}-stateful`, {
    config,
    description: `CRM ${stage}: table, event bus, user pool, mail configuration`,
    terminationProtection: config.deletionProtection,
  });
  const unsubscribeKey = new UnsubscribeKey(stateful.table);
  const stateless = new StatelessStack(app, `crm-${stage}-stateless`, {
    config,
    description: `CRM ${stage}: functions, HTTP API, rules and flows`,
    table: stateful.table,
    bus: stateful.bus,
    userPool: stateful.userPool,
    userPoolClient: stateful.userPoolClient,
    configurationSet: stateful.configurationSet,
    unsubscribeSecret: unsubscribeKey,
  });
  stateless.addStackDependency(stateful);

  const domain = (what: string): DomainStackProps => ({
    config,
    description: `CRM ${stage}: ${what}`,
    table: stateful.table,
    bus: stateful.bus,
    configurationSet: stateful.configurationSet,
    httpApi: stateless.httpApi,
    alarmTopic: stateless.alarmTopic,
  });
  const sales = new SalesStack(app, `crm-${stage}-sales`, {
    ...domain('pipelines, deals, forecast, leads and web forms'),
    // double opt-in: the confirmation links of captured consent are signed with the stage's link secret
    unsubscribeSecret: unsubscribeKey,
  });
  const marketing = new MarketingStack(app, `crm-${stage}-marketing`, {
    ...domain('email templates, segments, unsubscribe links, suppression and SES events'),
    unsubscribeSecret: unsubscribeKey,
  });
  const campaigns = new CampaignStack(app, `crm-${stage}-campaigns`, {
    ...domain('campaigns and the campaign flow'),
    unsubscribeSecret: unsubscribeKey,
  });
  const users = new UsersStack(app, `crm-${stage}-users`, {
    ...domain('the user directory, invitations and sign-in'),
    userPool: stateful.userPool,
  });
  const service = new ServiceStack(app, `crm-${stage}-service`, {
    ...domain('service cases, their replies, inbound mail and satisfaction surveys'),
    // satisfaction surveys: their links are signed with the stage's link secret
    unsubscribeSecret: unsubscribeKey,
  });
  const processes = new ProcessesStack(app, `crm-${stage}-processes`, {
    ...domain('products, quotes, approval policies and the approval flow'),
    // sent quotes: their links are signed with the stage's link secret
    unsubscribeSecret: unsubscribeKey,
  });
  const integrations = new IntegrationsStack(app, `crm-${stage}-integrations`, { ...domain('webhooks: their deliveries and retries'), eventArchive: stateful.eventArchive });
  for (const stack of [sales, marketing, campaigns, users, service, processes, integrations]) stack.addStackDependency(stateless);
  stateless.httpApi.assertEveryRouteWired(API_ROUTES);

  const stacks = { stateful, stateless, sales, marketing, campaigns, users, service, processes, integrations };
  acknowledgeNagFindings(stacks, config);
  return stacks;
}
