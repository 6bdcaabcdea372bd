import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../api/routes';
import { REPO_ROOT } from '../../infra/constructs/crm-function';
import { METADATA } from '../../infra/metadata';
import { ENV } from '../../shared/runtime-env';
import { synthesizeStage } from './synthesize-stage';

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
  it('are the app\'s handlers, each pointing at its module under functions/', () => {
    const entries = functions().map(([, fn]) => fn.Metadata?.[METADATA.entry]);

    expect(entries.sort()).toEqual([
      'functions/activities/list-activities.ts',
      'functions/activities/log-activity.ts',
      'functions/allocation/assign-customer.ts',
      'functions/allocation/claim-customer.ts',
      'functions/allocation/claim-from-pool.ts',
      'functions/allocation/evaluate-customer.ts',
      'functions/allocation/find-due-customers.ts',
      'functions/allocation/lock-customer.ts',
      'functions/allocation/release-customer.ts',
      'functions/allocation/reschedule-reclaim-checks.ts',
      'functions/allocation/send-reclaim-digests.ts',
      'functions/allocation/unlock-customer.ts',
      'functions/api/health.ts',
      'functions/api/openapi.ts',
      'functions/automations/create-automation.ts',
      'functions/automations/delete-automation.ts',
      'functions/automations/dispatch-automations.ts',
      'functions/automations/get-automation.ts',
      'functions/automations/list-automations.ts',
      'functions/automations/run-due-marketing.ts',
      'functions/automations/update-automation.ts',
      'functions/campaigns/cancel-campaign.ts',
      'functions/campaigns/complete-campaign.ts',
      'functions/campaigns/create-campaign.ts',
      'functions/campaigns/freeze-campaign-audience.ts',
      'functions/campaigns/get-campaign.ts',
      'functions/campaigns/list-campaigns.ts',
      'functions/campaigns/pause-campaign.ts',
      'functions/campaigns/plan-campaign-batches.ts',
      'functions/campaigns/record-campaign-failure.ts',
      'functions/campaigns/resume-campaign.ts',
      'functions/campaigns/send-campaign-batch.ts',
      'functions/campaigns/send-campaign.ts',
      'functions/campaigns/start-campaign-run.ts',
      'functions/consent/add-suppression.ts',
      'functions/consent/get-marketing-settings.ts',
      'functions/consent/list-suppressions.ts',
      'functions/consent/put-marketing-settings.ts',
      'functions/consent/remove-suppression.ts',
      'functions/consent/show-unsubscribe.ts',
      'functions/consent/unsubscribe.ts',
      'functions/contacts/add-contact.ts',
      'functions/contacts/remove-contact.ts',
      'functions/contacts/update-contact.ts',
      'functions/custom-fields/define-custom-field.ts',
      'functions/custom-fields/list-custom-fields.ts',
      'functions/customers/check-duplicates.ts',
      'functions/customers/create-customer.ts',
      'functions/customers/get-customer-360.ts',
      'functions/customers/get-customer.ts',
      'functions/customers/list-customers.ts',
      'functions/customers/merge-customers.ts',
      'functions/customers/send-welcome-email.ts',
      'functions/customers/update-customer.ts',
      'functions/deals/create-deal.ts',
      'functions/deals/get-deal.ts',
      'functions/deals/get-forecast.ts',
      'functions/deals/update-deal.ts',
      'functions/forms/create-form.ts',
      'functions/forms/list-forms.ts',
      'functions/forms/submit-form.ts',
      'functions/leads/add-engagement.ts',
      'functions/leads/convert-lead.ts',
      'functions/leads/create-lead.ts',
      'functions/leads/disqualify-lead.ts',
      'functions/leads/get-lead.ts',
      'functions/leads/list-leads.ts',
      'functions/leads/put-lead-scoring.ts',
      'functions/leads/put-routing-rules.ts',
      'functions/leads/qualify-lead.ts',
      'functions/outbox/publish-outbox-events.ts',
      'functions/pipelines/create-pipeline.ts',
      'functions/pipelines/get-board.ts',
      'functions/pipelines/get-pipeline.ts',
      'functions/pipelines/list-pipelines.ts',
      'functions/pools/create-pool.ts',
      'functions/pools/get-pool.ts',
      'functions/pools/list-pool-customers.ts',
      'functions/pools/list-pools.ts',
      'functions/pools/update-pool.ts',
      'functions/privacy/erase-customer.ts',
      'functions/privacy/export-customer.ts',
      'functions/segments/create-segment.ts',
      'functions/segments/get-segment.ts',
      'functions/segments/list-segments.ts',
      'functions/segments/preview-segment.ts',
      'functions/ses-events/record-ses-event.ts',
      'functions/stats/count-daily-events.ts',
      'functions/templates/create-template.ts',
      'functions/templates/get-template.ts',
      'functions/templates/list-templates.ts',
      'functions/templates/preview-template.ts',
      'functions/templates/update-template.ts',
      'functions/users/get-user.ts',
      'functions/users/list-users.ts',
      'functions/users/put-user.ts',
    ]);
    for (const entry of entries) expect(existsSync(join(REPO_ROOT, String(entry))), String(entry)).toBe(true);
  });

  it('all run Node 22 on arm64 with active tracing, the handler export and the stage', () => {
    for (const [id, fn] of functions()) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: 512,
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

  it('were synthesized without bundling', () => {
    expect(readdirSync(dev.assembly.directory).filter((name) => name.startsWith('asset.'))).toEqual([]);
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
    });
  });
});

describe('IAM', () => {
  it('gives GetCustomer no DynamoDB write action', () => {
    const actions = actionsOf('functions/customers/get-customer.ts');

    expect(actions).toContain('dynamodb:GetItem');
    expect(actions.filter((action) => DYNAMODB_WRITES.includes(action))).toEqual([]);
  });

  it('lets only SendWelcomeEmail, SendReclaimDigests and the automation senders send email', () => {
    const senders = functions()
      .map(([, fn]) => String(fn.Metadata?.[METADATA.entry]))
      .filter((entry) => actionsOf(entry).some((action) => action === 'ses:SendEmail'));

    expect(senders.sort()).toEqual([
      'functions/allocation/send-reclaim-digests.ts',
      'functions/automations/dispatch-automations.ts',
      'functions/automations/run-due-marketing.ts',
      'functions/customers/send-welcome-email.ts',
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
  const routesOf = (t: Template) => Object.values(t.findResources('AWS::ApiGatewayV2::Route') as Resources);
  const routes = stacks.flatMap(routesOf);

  it('has exactly the routes of api/routes.ts', () => {
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
      API_ROUTES.map((route) => `${route.method} ${route.path}`).sort(),
    );
  });

  it('requires a JWT on every route except the public GET /health, GET /openapi.json, the form submission and the unsubscribe links', () => {
    const publicRoutes = ['GET /health', 'GET /openapi.json', 'POST /forms/{formKey}/submit', 'GET /unsubscribe/{token}', 'POST /unsubscribe/{token}'];
    for (const route of routes) {
      const expected = publicRoutes.includes(route.Properties.RouteKey) ? 'NONE' : 'JWT';
      expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe(expected);
    }
  });

  it('routes each path to the function of the route table, with payload format 2.0', () => {
    const expectedEntry = { CreateCampaign: 'functions/campaigns/create-campaign.ts', ListCampaigns: 'functions/campaigns/list-campaigns.ts', GetCampaign: 'functions/campaigns/get-campaign.ts', SendCampaign: 'functions/campaigns/send-campaign.ts', PauseCampaign: 'functions/campaigns/pause-campaign.ts', ResumeCampaign: 'functions/campaigns/resume-campaign.ts', CancelCampaign: 'functions/campaigns/cancel-campaign.ts', Health: 'functions/api/health.ts', CreateCustomer: 'functions/customers/create-customer.ts', ListCustomers: 'functions/customers/list-customers.ts', GetCustomer: 'functions/customers/get-customer.ts', UpdateCustomer: 'functions/customers/update-customer.ts', GetCustomer360: 'functions/customers/get-customer-360.ts', LogActivity: 'functions/activities/log-activity.ts', ListActivities: 'functions/activities/list-activities.ts', AddContact: 'functions/contacts/add-contact.ts', UpdateContact: 'functions/contacts/update-contact.ts', RemoveContact: 'functions/contacts/remove-contact.ts', CheckDuplicates: 'functions/customers/check-duplicates.ts', OpenApi: 'functions/api/openapi.ts', ExportCustomer: 'functions/privacy/export-customer.ts', MergeCustomers: 'functions/customers/merge-customers.ts', EraseCustomer: 'functions/privacy/erase-customer.ts', DefineCustomField: 'functions/custom-fields/define-custom-field.ts', ListCustomFields: 'functions/custom-fields/list-custom-fields.ts', CreatePool: 'functions/pools/create-pool.ts', ListPools: 'functions/pools/list-pools.ts', GetPool: 'functions/pools/get-pool.ts', UpdatePool: 'functions/pools/update-pool.ts', ListPoolCustomers: 'functions/pools/list-pool-customers.ts', PutUser: 'functions/users/put-user.ts', ListUsers: 'functions/users/list-users.ts', GetUser: 'functions/users/get-user.ts', ClaimCustomer: 'functions/allocation/claim-customer.ts', ClaimFromPool: 'functions/allocation/claim-from-pool.ts', ReleaseCustomer: 'functions/allocation/release-customer.ts', AssignCustomer: 'functions/allocation/assign-customer.ts', LockCustomer: 'functions/allocation/lock-customer.ts', UnlockCustomer: 'functions/allocation/unlock-customer.ts', CreatePipeline: 'functions/pipelines/create-pipeline.ts', ListPipelines: 'functions/pipelines/list-pipelines.ts', GetPipeline: 'functions/pipelines/get-pipeline.ts', GetBoard: 'functions/pipelines/get-board.ts', CreateDeal: 'functions/deals/create-deal.ts', GetDeal: 'functions/deals/get-deal.ts', UpdateDeal: 'functions/deals/update-deal.ts', GetForecast: 'functions/deals/get-forecast.ts', CreateLead: 'functions/leads/create-lead.ts', ListLeads: 'functions/leads/list-leads.ts', GetLead: 'functions/leads/get-lead.ts', AddLeadEngagement: 'functions/leads/add-engagement.ts', QualifyLead: 'functions/leads/qualify-lead.ts', DisqualifyLead: 'functions/leads/disqualify-lead.ts', ConvertLead: 'functions/leads/convert-lead.ts', PutLeadScoring: 'functions/leads/put-lead-scoring.ts', PutRoutingRules: 'functions/leads/put-routing-rules.ts', CreateForm: 'functions/forms/create-form.ts', ListForms: 'functions/forms/list-forms.ts', SubmitForm: 'functions/forms/submit-form.ts', CreateTemplate: 'functions/templates/create-template.ts', ListTemplates: 'functions/templates/list-templates.ts', GetTemplate: 'functions/templates/get-template.ts', UpdateTemplate: 'functions/templates/update-template.ts', PreviewTemplate: 'functions/templates/preview-template.ts', CreateSegment: 'functions/segments/create-segment.ts', ListSegments: 'functions/segments/list-segments.ts', GetSegment: 'functions/segments/get-segment.ts', PreviewSegment: 'functions/segments/preview-segment.ts', GetMarketingSettings: 'functions/consent/get-marketing-settings.ts', PutMarketingSettings: 'functions/consent/put-marketing-settings.ts', ShowUnsubscribe: 'functions/consent/show-unsubscribe.ts', Unsubscribe: 'functions/consent/unsubscribe.ts', ListSuppressions: 'functions/consent/list-suppressions.ts', AddSuppression: 'functions/consent/add-suppression.ts', RemoveSuppression: 'functions/consent/remove-suppression.ts', CreateAutomation: 'functions/automations/create-automation.ts', ListAutomations: 'functions/automations/list-automations.ts', GetAutomation: 'functions/automations/get-automation.ts', UpdateAutomation: 'functions/automations/update-automation.ts', DeleteAutomation: 'functions/automations/delete-automation.ts' };

    for (const route of API_ROUTES) {
      // Route, integration and function live in one stack; only the API's and authorizer's ids cross stacks.
      const template = stacks.find((t) => routesOf(t).some((r) => r.Properties.RouteKey === `${route.method} ${route.path}`))!;
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration') as Resources;
      const lambdas = template.findResources('AWS::Lambda::Function') as Resources;
      const cfnRoute = routesOf(template).find((r) => r.Properties.RouteKey === `${route.method} ${route.path}`);
      const integration = integrations[cfnRoute?.Properties.Target['Fn::Join'][1][1].Ref];
      const fnId = integration?.Properties.IntegrationUri['Fn::GetAtt'][0];

      expect(integration?.Properties.PayloadFormatVersion).toBe('2.0');
      expect(lambdas[fnId]?.Metadata?.[METADATA.entry]).toBe(expectedEntry[route.functionKey]);
    }
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
