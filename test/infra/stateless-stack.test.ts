import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METADATA } from '../../infra/metadata';
import { OUTBOX_SK_PREFIX } from '../../shared/keys';
import { TIMELINE_EVENT_DETAIL_TYPES } from '../../shared/activities/timeline-entries';
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
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('context.integration.requestId') },
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
    expect(streamFilterOf('functions/outbox/publish-outbox-events.ts')).toEqual([{ eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix: OUTBOX_SK_PREFIX }] } } } }]);
  });
});

/** The filter patterns of the stream mapping that invokes the function of this entry. */
function streamFilterOf(entry: string): unknown[] {
  const [fnId] = functionByEntry(entry);
  const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping') as Resources).find((m) => m.Properties.FunctionName.Ref === fnId);
  return mapping?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) => JSON.parse(filter.Pattern));
}

describe('search indexer', () => {
  it('reads every change of profiles, contacts and deals from the stream, failures retried from the record, then to a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('IndexSearchEntriesDlq'), 'Arn'] } } },
    });
    expect(streamFilterOf('functions/search/index-search-entries.ts')).toEqual([{ dynamodb: { Keys: { SK: { S: ['PROFILE', { prefix: 'CONTACT#' }, { prefix: 'DEAL#' }] } } } }]);
  });
});

describe('rules', () => {
  const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources);

  const patternRules = rules.filter((rule) => rule.Properties.EventPattern);

  it('send customer created events to the daily counter and the welcome flow (and, among others, to the business metrics)', () => {
    const customerCreated = patternRules.filter((rule) => rule.Properties.EventPattern['detail-type'].includes('crm.customer.created.v1'));
    const only = customerCreated.filter((rule) => rule.Properties.EventPattern['detail-type'].length === 1);
    expect(only).toHaveLength(2);
    for (const rule of only) {
      expect(rule.Properties.EventPattern).toEqual({ source: ['crm'], 'detail-type': ['crm.customer.created.v1'] });
    }
    expect(customerCreated).toHaveLength(3);
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

    expect(targets).toHaveLength(9);
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

describe('timeline', () => {
  it('one consumer writes the entries of exactly the detail-types of the table of entries, failures to its DLQ', () => {
    const [fnId] = functionByEntry('functions/activities/record-timeline-entry.ts');
    const patternRules = Object.values(template.findResources('AWS::Events::Rule') as Resources).filter((rule) => rule.Properties.EventPattern);
    const toTimeline = patternRules.filter((rule) => rule.Properties.Targets.some((t: { Arn: unknown }) => JSON.stringify(t.Arn).includes(fnId)));

    expect(toTimeline.map((rule) => rule.Properties.EventPattern)).toEqual([{ source: ['crm'], 'detail-type': [...TIMELINE_EVENT_DETAIL_TYPES] }]);
    expect(TIMELINE_EVENT_DETAIL_TYPES).toEqual(expect.arrayContaining(['crm.deal.won.v1', 'crm.customer.claimed.v1', 'crm.task.created.v1']));
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('RecordTimelineEntryDlq'), 'Arn'] } } },
    });
    expect(actionsOf('functions/activities/record-timeline-entry.ts')).toEqual(expect.arrayContaining(['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:GetItem']));
  });
});

describe('business metrics', () => {
  it('come from one consumer of the domain events and of SES sends of this stage, failures to its DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['crm'], 'detail-type': Match.arrayWith(['crm.customer.created.v1', 'crm.customer.claimed.v1', 'crm.customer.reclaimed.v1', 'crm.lead.created.v1', 'crm.campaign.completed.v1']) },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RecordBusinessMetrics'), 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'default',
      EventPattern: { source: ['aws.ses'], 'detail-type': ['Email Sent'], detail: { mail: { tags: { 'ses:configuration-set': Match.anyValue() } } } },
    });
    dev.stateful.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ MatchingEventTypes: Match.arrayWith(['send', 'delivery']) }),
    });
  });
});

describe('dead-letter queues', () => {
  it('are encrypted, keep messages 14 days and refuse plain HTTP', () => {
    // The outbox publisher's, the counter's, both flows', the reschedule's, the metrics', the search indexer's, the timeline consumer's and the book hand-over's.
    template.resourceCountIs('AWS::SQS::Queue', 9);
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
      9,
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

  it('sends the welcome email from one task, which alone reads the tenant\'s switch, topic and template', () => {
    for (const state of ['SendWelcomeEmail', 'Welcomed']) {
      expect(definition).toContain(`\\"${state}\\"`);
    }
    expect(definition).not.toContain('consent.marketing');
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
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toBe(9);
    expect(byMetric('5xx')).toBe(1);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    prod.stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('watch the flows, the outbox and search indexer lag, the table, Lambda throttles and mail reputation on prod', () => {
    const alarms = Object.values(prod.stateless.findResources('AWS::CloudWatch::Alarm') as Resources);
    const byMetric = (name: string) => alarms.filter((alarm) => alarm.Properties.MetricName === name);
    const byMath = (fragment: string) => alarms.filter((alarm) => JSON.stringify(alarm.Properties.Metrics ?? []).includes(fragment));

    expect(byMetric('ExecutionsFailed')).toHaveLength(2);
    expect(byMetric('ExecutionsTimedOut')).toHaveLength(2);
    const lag = expect.objectContaining({ Properties: expect.objectContaining({ Threshold: 60_000, Statistic: 'Maximum' }) });
    expect(byMetric('IteratorAge')).toEqual([lag, lag]);
    expect(byMath('ReadThrottleEvents')).toHaveLength(1);
    expect(byMath('SystemErrors')).toHaveLength(1);
    const throttles = byMetric('Throttles');
    expect(throttles).toHaveLength(1);
    expect(throttles[0]!.Properties).toMatchObject({ Namespace: 'AWS/Lambda' });
    expect(throttles[0]!.Properties.Dimensions).toBeUndefined(); // every function of the account and region
    expect(byMetric('Reputation.BounceRate')).toHaveLength(1);
    expect(byMetric('Reputation.ComplaintRate')).toHaveLength(1);
    // The campaign flow's alarms live with it, in the campaigns stack.
    const campaignAlarms = Object.values(prod.campaigns.findResources('AWS::CloudWatch::Alarm') as Resources);
    expect(campaignAlarms.filter((alarm) => alarm.Properties.MetricName === 'ExecutionsFailed')).toHaveLength(1);
  });

  it('mail the address given as alarmEmail, and refuse one on a stage without alarms', () => {
    const withEmail = synthesizeStage('prod', { alarmEmail: 'ops@acme.test' });
    withEmail.stateless.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@acme.test' });
    prod.stateless.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(() => synthesizeStage('dev', { alarmEmail: 'ops@acme.test' })).toThrow(/has no alarms/);
  });

  it('do not exist on dev', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });
});

describe('dashboard', () => {
  it('is one per persistent stage (any stage with -c dashboard=true), named after it, showing the API, functions, outbox lag, table, flows, mail and business metrics', () => {
    const devWithDashboard = synthesizeStage('pr-9', { dashboard: 'true' });
    for (const [stage, t] of [['pr-9', devWithDashboard.stateless], ['prod', prod.stateless]] as const) {
      const dashboards = Object.values(t.findResources('AWS::CloudWatch::Dashboard') as Resources);
      expect(dashboards).toHaveLength(1);
      expect(dashboards[0]!.Properties.DashboardName).toBe(`crm-${stage}`);
      const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
      for (const shown of ['API requests and errors', `crm pr 9'`.replace('pr 9', stage.split('-').join(' ')), 'IteratorAge', 'ConsumedWriteCapacityUnits', 'ExecutionsFailed', 'Reputation.BounceRate', '{CRM,service,stage} stage=']) {
        expect(body, shown).toContain(shown);
      }
    }
    // $3 a month beyond an account's first three: not on a dev-like stage unless asked for.
    for (const t of [dev.stateless, dev.sales, dev.marketing, dev.campaigns, dev.stateful]) t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});

describe('outputs', () => {
  it('include the API URL', () => {
    expect(template.findOutputs('ApiUrl')).toHaveProperty('ApiUrl');
  });
});
