import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METADATA } from '../../infra/metadata';
import { OUTBOX_SK_PREFIX } from '../../shared/keys';
import { synthesizeStage } from './synthesize-stage';

const dev = synthesizeStage('dev', { mailFrom: 'crm@acme.test' });
const prod = synthesizeStage('prod');
const template = dev.stateless;

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

describe('HTTP API', () => {
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
        ExposeHeaders: ['ETag', 'Location', 'Retry-After'],
      },
    });
  });

  it('answers no browser from elsewhere on prod unless its origins are named', () => {
    const api = Object.values(prod.stateless.findResources('AWS::ApiGatewayV2::Api') as Resources)[0]!;
    expect(api.Properties.CorsConfiguration).toBeUndefined();
    const named = synthesizeStage('prod', { corsOrigins: 'https://crm.acme.test' });
    named.stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: { AllowOrigins: ['https://crm.acme.test'] } });
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
    const customerCreated = patternRules.filter((rule) => rule.Properties.EventPattern['detail-type'].includes('crm.customer.created.v1'));
    expect(customerCreated).toHaveLength(2);
    for (const rule of customerCreated) {
      expect(rule.Properties.EventPattern).toEqual({ source: ['crm'], 'detail-type': ['crm.customer.created.v1'] });
    }
  });

  it("send a tenant's first pool, pool policy changes and their continuations to the reclaim rescheduler, failures to its DLQ", () => {
    const [fnId] = functionByEntry('functions/allocation/reschedule-reclaim-checks.ts');
    const toRescheduler = patternRules.filter((rule) => rule.Properties.Targets.some((t: { Arn: unknown }) => JSON.stringify(t.Arn).includes(fnId)));

    expect(toRescheduler.map((rule) => rule.Properties.EventPattern)).toEqual([
      { source: ['crm'], 'detail-type': ['crm.pool.created.v1'], detail: { data: { firstPool: [true] } } },
      { source: ['crm'], 'detail-type': ['crm.pool.policy-changed.v1', 'crm.reclaim.reschedule-continued.v1'] },
    ]);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('RescheduleReclaimChecksDlq'), 'Arn'] } } },
    });
    expect(actionsOf('functions/allocation/reschedule-reclaim-checks.ts')).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem']));
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

    expect(targets).toHaveLength(5);
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
    template.resourceCountIs('AWS::SQS::Queue', 5);
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
      5,
    );
  });
});

describe('welcome flow', () => {
  const [id, stateMachine] =
    Object.entries(template.findResources('AWS::StepFunctions::StateMachine') as Resources).find(([, sm]) => sm.Metadata?.[METADATA.flow] === 'welcome') ?? [];
  const definition = JSON.stringify(stateMachine?.Properties.DefinitionString);

  it('is an Express JSONPath state machine within Express limits, tagged for the local runtime', () => {
    expect(id).toBeDefined();
    expect(stateMachine?.Properties.StateMachineType).toBe('EXPRESS');
    expect(definition).toContain('\\"TimeoutSeconds\\":300');
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

  it('is an Express JSONPath state machine within Express limits: shards, find, a bounded Map of evaluations, digests', () => {
    expect(stateMachine?.Properties.StateMachineType).toBe('EXPRESS');
    expect(definition).toContain('\\"TimeoutSeconds\\":300');
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
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toBe(5);
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
