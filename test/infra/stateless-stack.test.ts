import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../infra/api-routes';
import { REPO_ROOT } from '../../infra/constructs/crm-function';
import { METADATA } from '../../infra/metadata';
import { OUTBOX_SK_PREFIX } from '../../shared/keys';
import { ENV } from '../../shared/runtime-env';
import { synthesizeStage } from './synthesize-stage';

const dev = synthesizeStage('dev', { mailFrom: 'crm@acme.test' });
const prod = synthesizeStage('prod');
const template = dev.stateless;

const DYNAMODB_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, navigated by the tests
type Resources = Record<string, { Properties: Record<string, any>; Metadata?: Record<string, unknown> }>;

const functions = (t: Template) => Object.entries(t.findResources('AWS::Lambda::Function') as Resources);

function functionByEntry(entry: string): [string, Resources[string]] {
  const found = functions(template).find(([, fn]) => fn.Metadata?.[METADATA.entry] === entry);
  if (!found) throw new Error(`No function with entry ${entry}`);
  return found;
}

/** Every IAM action granted to a function's execution role. */
function actionsOf(entry: string): string[] {
  const roleId = functionByEntry(entry)[1].Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
}

describe('functions', () => {
  it('are the app\'s handlers, each pointing at its module under functions/', () => {
    const entries = functions(template).map(([, fn]) => fn.Metadata?.[METADATA.entry]);

    expect(entries.sort()).toEqual([
      'functions/activities/list-activities.ts',
      'functions/activities/log-activity.ts',
      'functions/allocation/assign-customer.ts',
      'functions/allocation/claim-customer.ts',
      'functions/allocation/lock-customer.ts',
      'functions/allocation/release-customer.ts',
      'functions/allocation/unlock-customer.ts',
      'functions/contacts/add-contact.ts',
      'functions/contacts/remove-contact.ts',
      'functions/contacts/update-contact.ts',
      'functions/custom-fields/define-custom-field.ts',
      'functions/custom-fields/list-custom-fields.ts',
      'functions/customers/check-duplicates.ts',
      'functions/customers/create-customer.ts',
      'functions/customers/erase-customer.ts',
      'functions/customers/export-customer.ts',
      'functions/customers/get-customer-360.ts',
      'functions/customers/get-customer.ts',
      'functions/customers/list-customers.ts',
      'functions/customers/merge-customers.ts',
      'functions/customers/update-customer.ts',
      'functions/email/send-welcome-email.ts',
      'functions/http/health.ts',
      'functions/http/openapi.ts',
      'functions/pools/create-pool.ts',
      'functions/pools/get-pool.ts',
      'functions/pools/list-pool-customers.ts',
      'functions/pools/list-pools.ts',
      'functions/pools/update-pool.ts',
      'functions/reclaim/evaluate-customer.ts',
      'functions/reclaim/find-due-customers.ts',
      'functions/reclaim/send-reclaim-digests.ts',
      'functions/stats/count-daily-events.ts',
      'functions/streams/publish-outbox-events.ts',
      'functions/users/get-user.ts',
      'functions/users/list-users.ts',
      'functions/users/put-user.ts',
    ]);
    for (const entry of entries) expect(existsSync(join(REPO_ROOT, String(entry))), String(entry)).toBe(true);
  });

  it('all run Node 22 on arm64 with active tracing, the handler export and the stage', () => {
    for (const [id, fn] of functions(template)) {
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
    for (const [stage, t, days] of [['dev', template, 7], ['prod', prod.stateless, 365]] as const) {
      const logGroups = t.findResources('AWS::Logs::LogGroup') as Resources;
      for (const [id, fn] of functions(t)) {
        const logGroup = logGroups[fn.Properties.LoggingConfig.LogGroup.Ref];
        expect(logGroup?.Properties.RetentionInDays, `${stage} ${id}`).toBe(days);
      }
    }
  });

  it('were synthesized without bundling', () => {
    expect(readdirSync(dev.assembly.directory).filter((name) => name.startsWith('asset.'))).toEqual([]);
  });

  it('get the table name, bus name, sender and configuration set only where granted', () => {
    const env = (entry: string) => Object.keys(functionByEntry(entry)[1].Properties.Environment.Variables).sort();

    expect(env('functions/http/health.ts')).toEqual(['NODE_OPTIONS', ENV.stage].sort());
    expect(env('functions/streams/publish-outbox-events.ts')).toContain(ENV.eventBusName);
    expect(env('functions/customers/get-customer.ts')).toContain(ENV.tableName);
    expect(functionByEntry('functions/email/send-welcome-email.ts')[1].Properties.Environment.Variables).toMatchObject({
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

  it('lets only SendWelcomeEmail and SendReclaimDigests send email', () => {
    const senders = functions(template)
      .map(([, fn]) => String(fn.Metadata?.[METADATA.entry]))
      .filter((entry) => actionsOf(entry).some((action) => action.startsWith('ses:')));

    expect(senders.sort()).toEqual(['functions/email/send-welcome-email.ts', 'functions/reclaim/send-reclaim-digests.ts']);
    for (const sender of senders) expect(actionsOf(sender).filter((action) => action.startsWith('ses:'))).toEqual(['ses:SendEmail']);
  });

  it('lets the reclaim sweep find due customers read-only, and evaluate them read-write', () => {
    const find = actionsOf('functions/reclaim/find-due-customers.ts');
    expect(find).toContain('dynamodb:Query');
    expect(find.filter((action) => DYNAMODB_WRITES.includes(action))).toEqual([]);
    expect(actionsOf('functions/reclaim/evaluate-customer.ts')).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    expect(actionsOf('functions/reclaim/evaluate-customer.ts').some((action) => action.startsWith('ses:'))).toBe(false);
  });

  it('never allows a Scan of the table', () => {
    for (const [, fn] of functions(template)) {
      expect(actionsOf(String(fn.Metadata?.[METADATA.entry]))).not.toContain('dynamodb:Scan');
    }
  });
});

describe('HTTP API', () => {
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources);

  it('has exactly the routes of infra/api-routes.ts', () => {
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
      API_ROUTES.map((route) => `${route.method} ${route.path}`).sort(),
    );
  });

  it('requires a JWT on every route except the public GET /health and GET /openapi.json', () => {
    const publicRoutes = ['GET /health', 'GET /openapi.json'];
    for (const route of routes) {
      const expected = publicRoutes.includes(route.Properties.RouteKey) ? 'NONE' : 'JWT';
      expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe(expected);
    }
  });

  it('routes each path to the function of the route table, with payload format 2.0', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration') as Resources;
    const lambdas = template.findResources('AWS::Lambda::Function') as Resources;
    const expectedEntry = { Health: 'functions/http/health.ts', CreateCustomer: 'functions/customers/create-customer.ts', ListCustomers: 'functions/customers/list-customers.ts', GetCustomer: 'functions/customers/get-customer.ts', UpdateCustomer: 'functions/customers/update-customer.ts', GetCustomer360: 'functions/customers/get-customer-360.ts', LogActivity: 'functions/activities/log-activity.ts', ListActivities: 'functions/activities/list-activities.ts', AddContact: 'functions/contacts/add-contact.ts', UpdateContact: 'functions/contacts/update-contact.ts', RemoveContact: 'functions/contacts/remove-contact.ts', CheckDuplicates: 'functions/customers/check-duplicates.ts', OpenApi: 'functions/http/openapi.ts', ExportCustomer: 'functions/customers/export-customer.ts', MergeCustomers: 'functions/customers/merge-customers.ts', EraseCustomer: 'functions/customers/erase-customer.ts', DefineCustomField: 'functions/custom-fields/define-custom-field.ts', ListCustomFields: 'functions/custom-fields/list-custom-fields.ts', CreatePool: 'functions/pools/create-pool.ts', ListPools: 'functions/pools/list-pools.ts', GetPool: 'functions/pools/get-pool.ts', UpdatePool: 'functions/pools/update-pool.ts', ListPoolCustomers: 'functions/pools/list-pool-customers.ts', PutUser: 'functions/users/put-user.ts', ListUsers: 'functions/users/list-users.ts', GetUser: 'functions/users/get-user.ts', ClaimCustomer: 'functions/allocation/claim-customer.ts', ReleaseCustomer: 'functions/allocation/release-customer.ts', AssignCustomer: 'functions/allocation/assign-customer.ts', LockCustomer: 'functions/allocation/lock-customer.ts', UnlockCustomer: 'functions/allocation/unlock-customer.ts' };

    for (const route of API_ROUTES) {
      const cfnRoute = routes.find((r) => r.Properties.RouteKey === `${route.method} ${route.path}`);
      const integration = integrations[cfnRoute?.Properties.Target['Fn::Join'][1][1].Ref];
      const fnId = integration?.Properties.IntegrationUri['Fn::GetAtt'][0];

      expect(integration?.Properties.PayloadFormatVersion).toBe('2.0');
      expect(lambdas[fnId]?.Metadata?.[METADATA.entry]).toBe(expectedEntry[route.functionKey]);
    }
  });

  it('authorizes with a JWT authorizer on the Cognito user pool and its client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ 'Fn::ImportValue': Match.stringLikeRegexp('UserPoolWebClient') }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith(['https://cognito-idp.', { 'Fn::ImportValue': Match.stringLikeRegexp('RefUserPool') }])] },
      },
    });
  });

  it('throttles and access-logs the default stage, and allows CORS with the headers clients send', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('context.requestId') },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowHeaders: ['Authorization', 'Content-Type', 'If-Match'],
      },
    });
  });
});

describe('outbox publisher', () => {
  it('reads the table stream from the oldest record, filtered to outbox INSERTs, failures to a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('StreamArn') },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 86400,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('PublishOutboxEventsDlq'), 'Arn'] } } },
    });
  });

  it('only receives INSERTs of items whose sort key starts with the outbox prefix', () => {
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping') as Resources);
    const patterns = mapping?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) => JSON.parse(filter.Pattern));

    expect(patterns).toEqual([{ eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix: OUTBOX_SK_PREFIX }] } } } }]);
  });
});

describe('rules', () => {
  const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources);

  const patternRules = rules.filter((rule) => rule.Properties.EventPattern);

  it('send customer created events to the daily counter and the welcome flow', () => {
    expect(patternRules).toHaveLength(2);
    for (const rule of patternRules) {
      expect(rule.Properties.EventPattern).toEqual({ source: ['crm'], 'detail-type': ['crm.customer.created.v1'] });
    }
  });

  it('start the reclaim flow every 15 minutes, named "reclaim" for POST /_local/schedules/{name}/run', () => {
    const scheduled = rules.filter((rule) => rule.Properties.ScheduleExpression);
    const reclaimFlow = Object.entries(template.findResources('AWS::StepFunctions::StateMachine') as Resources).find(([, sm]) => sm.Metadata?.[METADATA.flow] === 'reclaim');

    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.Properties.ScheduleExpression).toBe('rate(15 minutes)');
    expect(scheduled[0]!.Metadata?.[METADATA.schedule]).toBe('reclaim');
    expect(scheduled[0]!.Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: reclaimFlow?.[0] } })]);
  });

  it('give every target a dead-letter queue and a retry policy', () => {
    const targets = rules.flatMap((rule) => rule.Properties.Targets);

    expect(targets).toHaveLength(3);
    for (const target of targets) {
      expect(target).toMatchObject({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/Dlq/), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 },
      });
    }
  });

  it('park failed asynchronous invocations of the counter in its DLQ too', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('CountDailyEventsDlq'), 'Arn'] } } },
    });
  });
});

describe('dead-letter queues', () => {
  it('are encrypted, keep messages 14 days and refuse plain HTTP', () => {
    template.resourceCountIs('AWS::SQS::Queue', 4);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      4,
    );
  });
});

describe('welcome flow', () => {
  const [id, stateMachine] =
    Object.entries(template.findResources('AWS::StepFunctions::StateMachine') as Resources).find(([, sm]) => sm.Metadata?.[METADATA.flow] === 'welcome') ?? [];
  const definition = JSON.stringify(stateMachine?.Properties.DefinitionString);

  it('is a standard JSONPath state machine tagged for the local runtime', () => {
    expect(id).toBeDefined();
    expect(stateMachine?.Properties.StateMachineType).toBe('STANDARD');
    expect(stateMachine?.Metadata?.[METADATA.flow]).toBe('welcome');
    expect(definition).toContain('\\"QueryLanguage\\":\\"JSONPath\\"');
    expect(definition).not.toContain('JSONata');
  });

  it('checks marketing consent, then sends the welcome email', () => {
    for (const state of ['HasMarketingConsent', 'SendWelcomeEmail', 'Welcomed', 'NoConsent']) {
      expect(definition).toContain(`\\"${state}\\"`);
    }
    expect(definition).toContain('$.detail.data.consent.marketing');
  });

  it('logs every event without execution data, and traces', () => {
    expect(stateMachine?.Properties).toMatchObject({
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
  });
});

describe('reclaim flow', () => {
  const [, stateMachine] =
    Object.entries(template.findResources('AWS::StepFunctions::StateMachine') as Resources).find(([, sm]) => sm.Metadata?.[METADATA.flow] === 'reclaim') ?? [];
  const definition = JSON.stringify(stateMachine?.Properties.DefinitionString);

  it('is a standard JSONPath state machine: shards, find, a bounded Map of evaluations, digests', () => {
    expect(stateMachine?.Properties.StateMachineType).toBe('STANDARD');
    expect(definition).toContain('\\"QueryLanguage\\":\\"JSONPath\\"');
    expect(definition).not.toContain('JSONata');
    for (const state of ['ListShards', 'FindDueCustomers', 'EvaluateDueCustomers', 'EvaluateCustomer', 'CustomerFailed', 'SendReclaimDigests']) {
      expect(definition).toContain(`\\"${state}\\"`);
    }
    expect(definition).toContain('\\"MaxConcurrency\\":10');
    expect(definition).toContain('States.ArrayRange(0, 7, 1)');
  });

  it('retries throttling with backoff and jitter, and catches what is left per customer', () => {
    expect(definition).toContain('\\"ErrorEquals\\":[\\"ReclaimRetryable\\",\\"Lambda.ServiceException\\"');
    expect(definition).toContain('\\"BackoffRate\\":2');
    expect(definition).toContain('\\"JitterStrategy\\":\\"FULL\\"');
    expect(definition).toContain('\\"Catch\\":[{\\"ErrorEquals\\":[\\"States.ALL\\"],\\"ResultPath\\":\\"$.failure\\",\\"Next\\":\\"CustomerFailed\\"}]');
  });
});

describe('alarms', () => {
  it('watch every function, dead-letter queue and the API on prod, through an encrypted topic', () => {
    const alarms = Object.values(prod.stateless.findResources('AWS::CloudWatch::Alarm') as Resources);
    const byMetric = (name: string) => alarms.filter((alarm) => alarm.Properties.MetricName === name).length;

    expect(byMetric('Errors')).toBe(functions(prod.stateless).length);
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toBe(4);
    expect(byMetric('5xx')).toBe(1);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    prod.stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('do not exist on dev', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });
});

describe('outputs', () => {
  it('include the API URL', () => {
    expect(template.findOutputs('ApiUrl')).toHaveProperty('ApiUrl');
  });
});
