import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type ApiRoute, routeKey } from '../../api/route';
import { API_ROUTES } from '../../api/route-table';
import { REPO_ROOT } from '../../infra/constructs/crm-function';
import { METADATA } from '../../infra/metadata';
import { ENV } from '../../shared/runtime-env';
import { expectedActions, expectedEnvironment } from './route-access';
import { type SynthesizedStage, synthesizeStage } from './synthesize-stage';

// The stacks that hold functions and routes (the stateless stack and the domain stacks): what holds
// for every function or route holds across them, wherever a function lives.
const dev = synthesizeStage('dev', { mailFrom: 'crm@acme.test' });
const prod = synthesizeStage('prod');
const stacks = dev.functionStacks;

const DYNAMODB_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, navigated by the tests
type Resources = Record<string, { Properties: Record<string, any>; Metadata?: Record<string, unknown> }>;

const functionsOf = (t: Template) => Object.entries(t.findResources('AWS::Lambda::Function') as Resources);
const functions = (templates: readonly Template[] = stacks) => templates.flatMap(functionsOf);
const routesOf = (t: Template) => Object.values(t.findResources('AWS::ApiGatewayV2::Route') as Resources);

function functionByEntry(entry: string): { template: Template; fn: Resources[string] } {
  for (const template of stacks) {
    const found = functionsOf(template).find(([, fn]) => fn.Metadata?.[METADATA.entry] === entry);
    if (found) return { template, fn: found[1] };
  }
  throw new Error(`No function with entry ${entry}`);
}

/** Every IAM action granted to a function's execution role. */
function actionsOf(entry: string): string[] {
  const { template, fn } = functionByEntry(entry);
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
}

describe('functions', () => {
  it("are the route table's handlers and the functions declared by hand, each pointing at its module under functions/", () => {
    const entries = functions().map(([, fn]) => String(fn.Metadata?.[METADATA.entry]));

    // The functions that are not rows of the route table: the $default route, stream consumer, rule targets, flow tasks.
    const notRoutes = [
      'functions/api/route-not-found.ts',
      'functions/activities/record-timeline-entry.ts',
      'functions/allocation/evaluate-customer.ts',
      'functions/allocation/find-due-customers.ts',
      'functions/allocation/reschedule-reclaim-checks.ts',
      'functions/allocation/run-book-transfer.ts',
      'functions/allocation/send-reclaim-digests.ts',
      'functions/automations/dispatch-automations.ts',
      'functions/automations/run-due-marketing.ts',
      'functions/cases/receive-inbound-mail.ts',
      'functions/cases/route-cases.ts',
      // The approval flow's tasks and the function that answers its waiting step.
      'functions/approvals/open-approval-step.ts',
      'functions/approvals/finish-approval-process.ts',
      'functions/approvals/resume-approval-flow.ts',
      'functions/orders/mail-order-document.ts',
      'functions/orders/raise-overdue-invoices.ts',
      'functions/quotes/mail-quote-link.ts',
      'functions/deals/win-quote-deal.ts',
      'functions/webhooks/dispatch-webhooks.ts',
      'functions/webhooks/retry-webhook-deliveries.ts',
      'functions/webhooks/mail-webhook-disabled.ts',
      'functions/exports/run-export.ts',
      // The import flow's steps.
      'functions/imports/prepare-import.ts',
      'functions/imports/write-import-chunk.ts',
      'functions/imports/complete-import.ts',
      'functions/imports/record-import-failure.ts',
      'functions/approvals/mail-escalated-approval.ts',
      // Contract renewals: the sweep and the owner's mail.
      'functions/contracts/raise-contract-renewals.ts',
      'functions/contracts/mail-contract-renewal.ts',
      // Escalation of approvals past their step's time limit: the sweep.
      'functions/approvals/escalate-overdue-approvals.ts',
      'functions/cases/send-case-reply.ts',
      'functions/surveys/send-case-survey.ts',
      'functions/surveys/open-survey-follow-up.ts',
      // SLA policies applied to cases: the sweep and the escalation sender.
      'functions/cases/raise-sla-alerts.ts',
      'functions/cases/escalate-sla-alert.ts',
      'functions/campaigns/continue-campaign-run.ts',
      'functions/campaigns/complete-campaign.ts',
      'functions/campaigns/freeze-campaign-audience.ts',
      'functions/campaigns/plan-campaign-batches.ts',
      'functions/campaigns/record-campaign-failure.ts',
      'functions/campaigns/send-campaign-batch.ts',
      'functions/campaigns/start-campaign-run.ts',
      'functions/customers/send-welcome-email.ts',
      'functions/outbox/publish-outbox-events.ts',
      'functions/search/index-search-entries.ts',
      'functions/ses-events/record-ses-event.ts',
      'functions/stats/count-daily-events.ts',
      'functions/stats/record-business-metrics.ts',
      'functions/tasks/open-first-contact-task.ts',
      'functions/tasks/send-task-reminders.ts',
    ];
    expect(entries.sort()).toEqual([...API_ROUTES.map((route) => route.handler), ...notRoutes].sort());
    for (const entry of entries) expect(existsSync(join(REPO_ROOT, entry)), entry).toBe(true);
  });

  it('all run Node 22 on arm64 with active tracing (but the frequent sweeps: decision 57), the handler export and the stage', () => {
    const frequentSweeps = ['functions/automations/run-due-marketing.ts', 'functions/tasks/send-task-reminders.ts', 'functions/cases/raise-sla-alerts.ts', 'functions/approvals/escalate-overdue-approvals.ts', 'functions/orders/raise-overdue-invoices.ts', 'functions/webhooks/retry-webhook-deliveries.ts', 'functions/contracts/raise-contract-renewals.ts'];
    // Reads a whole CSV (up to 100 MB, streamed) and holds its batches' rows while it checks them.
    const largerMemory: Record<string, number> = { 'functions/imports/prepare-import.ts': 1024 };
    for (const [id, fn] of functions()) {
      const frequent = frequentSweeps.includes(String(fn.Metadata?.[METADATA.entry]));
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: frequent ? 'PassThrough' : 'Active' },
        MemorySize: largerMemory[String(fn.Metadata?.[METADATA.entry])] ?? 512,
        Handler: 'index.handler',
        Environment: { Variables: { [ENV.stage]: 'dev', NODE_OPTIONS: '--enable-source-maps' } },
      });
      expect(fn.Metadata?.[METADATA.handler], id).toBe('handler');
    }
  });

  it('log to a log group of their own, kept one week on dev and one year on prod', () => {
    for (const [stage, templates, days] of [['dev', stacks, 7], ['prod', prod.functionStacks, 365]] as const) {
      for (const t of templates) {
        const logGroups = t.findResources('AWS::Logs::LogGroup') as Resources;
        for (const [id, fn] of functionsOf(t)) {
          const logGroup = logGroups[fn.Properties.LoggingConfig.LogGroup.Ref];
          expect(logGroup?.Properties.RetentionInDays, `${stage} ${id}`).toBe(days);
        }
      }
    }
  });

  it('were synthesized without bundling: the one asset is CDK\'s own provider that empties the inbound mail and files buckets on a dev-like stage', () => {
    const autoDelete = Object.values(dev.stateful.findResources('Custom::S3AutoDeleteObjects'));
    expect(autoDelete).toHaveLength(2);
    const providerIds = new Set(autoDelete.map((resource) => String(resource.Properties.ServiceToken['Fn::GetAtt'][0])));
    expect(providerIds.size).toBe(1);
    const [providerId] = [...providerIds];
    const provider = dev.stateful.toJSON().Resources[providerId!];
    const providerAsset = `asset.${String(provider.Properties.Code.S3Key).replace(/\.zip$/, '')}`;
    expect(readdirSync(dev.assembly.directory).filter((name) => name.startsWith('asset.'))).toEqual([providerAsset]);
    expect(prod.stateful.findResources('Custom::S3AutoDeleteObjects')).toEqual({});
  });

  it('get the table name, bus name, sender and configuration set only where granted', () => {
    const env = (entry: string) => Object.keys(functionByEntry(entry).fn.Properties.Environment.Variables).sort();

    expect(env('functions/api/health.ts')).toEqual(['NODE_OPTIONS', ENV.stage].sort());
    expect(env('functions/outbox/publish-outbox-events.ts')).toContain(ENV.eventBusName);
    expect(env('functions/customers/get-customer.ts')).toContain(ENV.tableName);
    expect(functionByEntry('functions/customers/send-welcome-email.ts').fn.Properties.Environment.Variables).toMatchObject({
      [ENV.mailFrom]: 'crm@acme.test',
      [ENV.sesConfigurationSet]: expect.anything(),
      [ENV.tableName]: expect.anything(),
      // A marketing mail: unsubscribe links to the API, the send rate shared with campaigns.
      [ENV.apiBaseUrl]: expect.anything(),
      [ENV.sesMaxSendRate]: expect.any(String),
    });
  });
});

describe('IAM', () => {
  it('gives GetCustomer no DynamoDB write action', () => {
    const actions = actionsOf('functions/customers/get-customer.ts');

    expect(actions).toContain('dynamodb:GetItem');
    expect(actions.filter((action) => DYNAMODB_WRITES.includes(action))).toEqual([]);
  });

  it('lets only SendWelcomeEmail, SendReclaimDigests, the automation senders, the task reminders, the case reply sender, the survey sender, the SLA escalation, the order document, the approval escalation mail, the contract renewal mail and lead capture (the double opt-in confirmation) send email', () => {
    const senders = functions()
      .map(([, fn]) => String(fn.Metadata?.[METADATA.entry]))
      .filter((entry) => actionsOf(entry).some((action) => action === 'ses:SendEmail'));

    expect(senders.sort()).toEqual([
      'functions/allocation/send-reclaim-digests.ts',
      'functions/approvals/mail-escalated-approval.ts',
      'functions/automations/dispatch-automations.ts',
      'functions/automations/run-due-marketing.ts',
      'functions/cases/escalate-sla-alert.ts',
      'functions/cases/send-case-reply.ts',
      'functions/contracts/mail-contract-renewal.ts',
      'functions/customers/send-welcome-email.ts',
      'functions/forms/submit-form.ts',
      'functions/leads/create-lead.ts',
      'functions/orders/mail-order-document.ts',
      'functions/quotes/mail-quote-link.ts',
      'functions/surveys/send-case-survey.ts',
      'functions/tasks/send-task-reminders.ts',
      'functions/webhooks/mail-webhook-disabled.ts',
    ]);
    for (const sender of senders) expect(new Set(actionsOf(sender).filter((action) => action.startsWith('ses:')))).toEqual(new Set(['ses:SendEmail']));
  });

  it("lets the automation senders send with the stage's SES templates only", () => {
    for (const entry of ['functions/automations/dispatch-automations.ts', 'functions/automations/run-due-marketing.ts']) {
      const { fn } = functionByEntry(entry);
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      const statements = Object.values(dev.marketing.findResources('AWS::IAM::Policy') as Resources)
        .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
      const templates = statements.filter((st) => JSON.stringify(st.Resource).includes(':template/'));
      expect(templates, entry).toEqual([expect.objectContaining({ Action: 'ses:SendEmail', Resource: { 'Fn::Join': ['', expect.arrayContaining([expect.stringMatching(/:template\/crm_dev_\*$/)])] } })]);
    }
  });

  it('lets only the template writers and the campaign flow write SES templates, and only the stage\'s', () => {
    const writers = functions()
      .map(([, fn]) => String(fn.Metadata?.[METADATA.entry]))
      .filter((entry) => actionsOf(entry).some((action) => action.endsWith('EmailTemplate')));
    expect(writers.sort()).toEqual([
      'functions/campaigns/complete-campaign.ts',
      'functions/campaigns/start-campaign-run.ts',
      'functions/templates/create-template.ts',
      'functions/templates/update-template.ts',
    ]);
    // The campaign flow copies a template into the campaign's own SES template and deletes the copy at the end.
    for (const writer of writers.filter((w) => !w.endsWith('complete-campaign.ts'))) {
      expect(actionsOf(writer).filter((action) => action.startsWith('ses:'))).toEqual(['ses:CreateEmailTemplate', 'ses:UpdateEmailTemplate']);
    }
    expect(actionsOf('functions/campaigns/complete-campaign.ts').filter((action) => action.startsWith('ses:'))).toEqual(['ses:DeleteEmailTemplate']);
    dev.marketing.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ses:CreateEmailTemplate', 'ses:UpdateEmailTemplate'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':template/crm_dev_\\*$')])] },
          }),
        ]),
      },
    });
    expect(actionsOf('functions/segments/preview-segment.ts').filter((action) => DYNAMODB_WRITES.includes(action))).toEqual([]);
  });

  it('lets the reclaim sweep find due customers read-only, and evaluate them read-write', () => {
    const find = actionsOf('functions/allocation/find-due-customers.ts');
    expect(find).toContain('dynamodb:Query');
    expect(find.filter((action) => DYNAMODB_WRITES.includes(action))).toEqual([]);
    expect(actionsOf('functions/allocation/evaluate-customer.ts')).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    expect(actionsOf('functions/allocation/evaluate-customer.ts').some((action) => action.startsWith('ses:'))).toBe(false);
  });

  it('never allows a Scan of the table', () => {
    for (const [, fn] of functions()) {
      expect(actionsOf(String(fn.Metadata?.[METADATA.entry]))).not.toContain('dynamodb:Scan');
    }
  });
});

describe('HTTP API', () => {
  const allRoutes = stacks.flatMap(routesOf);
  const routes = allRoutes.filter((route) => route.Properties.RouteKey !== '$default');

  it('has exactly the routes of the route table, and $default', () => {
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(API_ROUTES.map(routeKey).sort());
    expect(allRoutes.length - routes.length).toBe(1);
  });

  it('sends what no route matches ($default) to RouteNotFound, without authorization', () => {
    const fallback = allRoutes.find((route) => route.Properties.RouteKey === '$default')!;
    expect(fallback.Properties.AuthorizationType).toBe('NONE');
    const integrations = dev.stateless.findResources('AWS::ApiGatewayV2::Integration') as Resources;
    const integrationId = String(fallback.Properties.Target['Fn::Join'][1][1].Ref);
    const functionId = integrations[integrationId]!.Properties.IntegrationUri['Fn::GetAtt'][0];
    expect(functionsOf(dev.stateless).find(([id]) => id === functionId)?.[1].Metadata?.[METADATA.entry]).toBe('functions/api/route-not-found.ts');
  });

  // Written out, not read from the rows: making a route public is a decision a review must see here.
  it('requires a JWT on every route except the public GET /health, GET /openapi.json, the form submission, the unsubscribe links and their preference centre, survey, quote and consent confirmation links', () => {
    const publicRoutes = [
      'GET /health', 'GET /openapi.json', 'POST /forms/{formKey}/submit', 'GET /unsubscribe/{token}', 'POST /unsubscribe/{token}', 'POST /unsubscribe/{token}/preferences',
      'GET /surveys/{token}', 'POST /surveys/{token}', 'GET /surveys/{token}/comment', 'POST /surveys/{token}/comment',
      'GET /quote-links/{token}', 'POST /quote-links/{token}/accept', 'POST /quote-links/{token}/decline',
      'GET /consent-confirmations/{token}', 'POST /consent-confirmations/{token}',
    ];
    for (const route of routes) {
      const expected = publicRoutes.includes(route.Properties.RouteKey) ? 'NONE' : 'JWT';
      expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe(expected);
    }
    expect(API_ROUTES.filter((route) => route.auth === 'none').map(routeKey).sort()).toEqual([...publicRoutes].sort());
  });
});

describe('route table rows', () => {
  /** The row's function in the stack the row names, by its entry; fails when another stack holds it. */
  function rowFunction(stage: SynthesizedStage, route: ApiRoute): { template: Template; logicalId: string; fn: Resources[string] } {
    const template = stage[route.stack];
    const found = functionsOf(template).find(([, fn]) => fn.Metadata?.[METADATA.entry] === route.handler);
    if (!found) throw new Error(`${routeKey(route)}: no function for ${route.handler} in the ${route.stack} stack`);
    return { template, logicalId: found[0], fn: found[1] };
  }

  it('each have their function in the stack they name, under their function id, with their timeout', () => {
    for (const route of API_ROUTES) {
      const { logicalId, fn } = rowFunction(dev, route);
      expect(logicalId, routeKey(route)).toMatch(new RegExp(`^${route.functionId}[0-9A-F]{8}$`));
      expect(fn.Properties.Timeout, routeKey(route)).toBe(route.timeoutSeconds ?? 10);
    }
  });

  it('each have their route in that stack, with their auth, integrated with their function (payload format 2.0)', () => {
    for (const route of API_ROUTES) {
      const { template, logicalId } = rowFunction(dev, route);
      const cfnRoute = routesOf(template).find((r) => r.Properties.RouteKey === routeKey(route));
      // Route, integration and function live in one stack; only the API's and authorizer's ids cross stacks.
      const integration = (template.findResources('AWS::ApiGatewayV2::Integration') as Resources)[cfnRoute?.Properties.Target['Fn::Join'][1][1].Ref];

      expect(cfnRoute?.Properties.AuthorizationType, routeKey(route)).toBe(route.auth === 'jwt' ? 'JWT' : 'NONE');
      expect(integration?.Properties.PayloadFormatVersion, routeKey(route)).toBe('2.0');
      expect(integration?.Properties.IntegrationUri['Fn::GetAtt'][0], routeKey(route)).toBe(logicalId);
      template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { 'Fn::GetAtt': [logicalId, 'Arn'] }, Principal: 'apigateway.amazonaws.com' });
    }
  });

  it('give each function exactly the grants and environment its access spec names', () => {
    for (const route of API_ROUTES) {
      expect([...new Set(actionsOf(route.handler))].sort(), routeKey(route)).toEqual(expectedActions(route.access));
      expect(Object.keys(rowFunction(dev, route).fn.Properties.Environment.Variables).sort(), routeKey(route)).toEqual(expectedEnvironment(route.access));
    }
  });

  it('start only the flow they name, in their own stack', () => {
    for (const route of API_ROUTES.filter((r) => r.access.startFlow)) {
      const { template, fn } = rowFunction(dev, route);
      const flows = Object.entries(template.findResources('AWS::StepFunctions::StateMachine') as Resources);
      const flowId = flows.find(([, sm]) => sm.Metadata?.[METADATA.flow] === route.access.startFlow)?.[0];
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      const starts = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
        .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((st) => [st.Action].flat().includes('states:StartExecution'));

      expect(flowId, routeKey(route)).toBeDefined();
      expect(starts.map((st) => st.Resource), routeKey(route)).toEqual([{ Ref: flowId }]);
      const flowArnEnv = { campaign: ENV.campaignFlowArn, import: ENV.importFlowArn }[route.access.startFlow!];
      expect(fn.Properties.Environment.Variables[flowArnEnv], routeKey(route)).toEqual({ Ref: flowId });
    }
  });

  it('each have an error alarm on their function on stages with alarms, and none on dev', () => {
    for (const route of API_ROUTES) {
      const { template, logicalId } = rowFunction(prod, route);
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).filter(
        (alarm) => alarm.Properties.MetricName === 'Errors' && alarm.Properties.Dimensions?.some((d: { Value: unknown }) => JSON.stringify(d.Value) === JSON.stringify({ Ref: logicalId })),
      );
      expect(alarms, routeKey(route)).toHaveLength(1);
    }
    for (const t of dev.functionStacks) t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  it('fail the synth when no stack creates one of them', () => {
    const [health] = API_ROUTES;
    const orphan: ApiRoute = { ...health!, path: '/nowhere', functionId: 'Nowhere' };
    expect(() => dev.stacks.stateless.httpApi.assertEveryRouteWired([...API_ROUTES, orphan])).toThrow(/Routes without a function in any stack: GET \/nowhere/);
    expect(() => dev.stacks.stateless.httpApi.assertEveryRouteWired(API_ROUTES)).not.toThrow();
  });
});

describe('alarms', () => {
  it('watch every function of every stack on prod, all notifying the one encrypted topic', () => {
    for (const t of prod.functionStacks) {
      const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm') as Resources);
      expect(alarms.filter((alarm) => alarm.Properties.MetricName === 'Errors')).toHaveLength(functionsOf(t).length);
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
    prod.stateless.resourceCountIs('AWS::SNS::Topic', 1);
    for (const t of [prod.sales, prod.marketing, prod.campaigns]) t.resourceCountIs('AWS::SNS::Topic', 0);
  });

  // CloudFormation refuses a stack of more than 500 resources; failing at 450 leaves room to move functions before a deploy breaks.
  it('keep every stack well under CloudFormation\'s 500 resources', () => {
    for (const t of [...prod.functionStacks, prod.stateful]) expect(Object.keys(t.toJSON().Resources).length).toBeLessThan(450);
  });
});
