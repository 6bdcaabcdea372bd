import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METADATA } from '../../../infra/metadata';
import { synthesizeTemplates } from '../../../local/synthesize';
import { LOCAL_ACCOUNT, LOCAL_REGION, type StackTemplate } from '../../../local/template-resolver';
import { type LocalWiring, readWiring } from '../../../local/wiring';

// A hand-written pair of stacks shaped like what the CDK app synthesizes: the stateful stack
// exports the bus name and the stream ARN, the stateless stack imports them.

const FN_ARN = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
const SM_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:WelcomeFlow`;
const STREAM_FILTER = { eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix: 'EVT#' }] } } } };

const stateful: StackTemplate = {
  stackName: 'crm-t-stateful',
  template: {
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { TableName: 'crm-t', StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } },
      },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'crm-t-bus' } },
    },
    Outputs: {
      BusName: { Value: { Ref: 'Bus' }, Export: { Name: 'crm-t:BusName' } },
      StreamArn: { Value: { 'Fn::GetAtt': ['Table', 'StreamArn'] }, Export: { Name: 'crm-t:StreamArn' } },
    },
  },
};

const integrationTarget = (id: string) => ({ 'Fn::Join': ['', ['integrations/', { Ref: id }]] });

const stateless: StackTemplate = {
  stackName: 'crm-t-stateless',
  template: {
    Resources: {
      Health: {
        Type: 'AWS::Lambda::Function',
        Metadata: { [METADATA.entry]: 'functions/api/health.ts' },
        Properties: { Environment: { Variables: { STAGE: 't', BUS: { 'Fn::ImportValue': 'crm-t:BusName' } } } },
      },
      Create: {
        Type: 'AWS::Lambda::Function',
        Metadata: { [METADATA.entry]: 'functions/customers/create-customer.ts', [METADATA.handler]: 'create' },
        Properties: { FunctionName: 'create-fn' },
      },
      Publish: { Type: 'AWS::Lambda::Function', Metadata: { [METADATA.entry]: 'functions/streams/publish.ts' }, Properties: {} },
      CdkHelper: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
      Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { CorsConfiguration: { AllowOrigins: ['*'] } } },
      HealthIntegration: {
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: { IntegrationUri: { 'Fn::GetAtt': ['Health', 'Arn'] } },
      },
      CreateIntegration: {
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: { IntegrationUri: { 'Fn::GetAtt': ['Create', 'Arn'] } },
      },
      HelperIntegration: {
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: { IntegrationUri: { 'Fn::GetAtt': ['CdkHelper', 'Arn'] } },
      },
      HealthRoute: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { RouteKey: 'GET /health', AuthorizationType: 'NONE', Target: integrationTarget('HealthIntegration') },
      },
      CreateRoute: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { RouteKey: 'POST /customers', AuthorizationType: 'JWT', Target: integrationTarget('CreateIntegration') },
      },
      HelperRoute: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { RouteKey: 'GET /helper', Target: integrationTarget('HelperIntegration') },
      },
      Dlq: { Type: 'AWS::SQS::Queue', Properties: {} },
      CreatedToCreate: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { 'Fn::ImportValue': 'crm-t:BusName' },
          EventPattern: { source: ['crm'], 'detail-type': ['crm.customer.created.v1'] },
          State: 'ENABLED',
          Targets: [
            {
              Id: 'Target0',
              Arn: { 'Fn::GetAtt': ['Create', 'Arn'] },
              InputPath: '$.detail',
              RetryPolicy: { MaximumRetryAttempts: 3 },
              DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
            },
          ],
        },
      },
      CreatedToFlow: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { 'Fn::ImportValue': 'crm-t:BusName' },
          EventPattern: { source: ['crm'] },
          State: 'DISABLED',
          Targets: [{ Id: 'Flow', Arn: { Ref: 'WelcomeFlow' }, Input: '{"fixed":true}' }],
        },
      },
      Nightly: {
        Type: 'AWS::Events::Rule',
        Metadata: { [METADATA.schedule]: 'nightly' },
        Properties: { ScheduleExpression: 'cron(0 2 * * ? *)', Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Health', 'Arn'] } }] },
      },
      WelcomeFlow: {
        Type: 'AWS::StepFunctions::StateMachine',
        Metadata: { [METADATA.flow]: 'welcome' },
        Properties: {
          DefinitionString: {
            'Fn::Join': ['', ['{"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"', { 'Fn::GetAtt': ['Create', 'Arn'] }, '","End":true}}}']],
          },
        },
      },
      PublishMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'Publish' },
          EventSourceArn: { 'Fn::ImportValue': 'crm-t:StreamArn' },
          BatchSize: 10,
          MaximumRetryAttempts: 2,
          BisectBatchOnFunctionError: true,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          StartingPosition: 'TRIM_HORIZON',
          FilterCriteria: { Filters: [{ Pattern: JSON.stringify(STREAM_FILTER) }] },
        },
      },
      HelperMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { FunctionName: { Ref: 'CdkHelper' }, EventSourceArn: { 'Fn::ImportValue': 'crm-t:StreamArn' } },
      },
    },
  },
};

function wiring(): LocalWiring {
  return readWiring([stateful, stateless]);
}

describe('readWiring on hand-written templates', () => {
  describe('functions', () => {
    it('are the functions with crm:entry metadata, keyed by their physical name', () => {
      const w = wiring();

      const names = [...w.functions.keys()];

      expect(names).toEqual(['Health', 'create-fn', 'Publish']);
    });

    it('carry entry, handler (default "handler"), ARN and the resolved environment as strings', () => {
      const w = wiring();

      const health = w.functions.get('Health');

      expect(health).toEqual({
        name: 'Health',
        arn: FN_ARN('Health'),
        entry: 'functions/api/health.ts',
        handler: 'handler',
        environment: { STAGE: 't', BUS: 'crm-t-bus' },
      });
    });

    it('take the handler export name from crm:handler', () => {
      const w = wiring();

      const create = w.functions.get('create-fn');

      expect(create?.handler).toBe('create');
    });
  });

  describe('routes', () => {
    it('pair each route key with its integration function and authorization type', () => {
      const w = wiring();

      const routes = w.routes;

      expect(routes).toEqual([
        { method: 'GET', path: '/health', functionName: 'Health', authorization: 'NONE' },
        { method: 'POST', path: '/customers', functionName: 'create-fn', authorization: 'JWT' },
      ]);
    });
  });

  it('reads the API CORS configuration', () => {
    const w = wiring();

    const cors = w.cors;

    expect(cors).toEqual({ AllowOrigins: ['*'] });
  });

  describe('rules', () => {
    it('resolve a Lambda target with InputPath, RetryPolicy and a dead-letter queue on the imported bus', () => {
      const w = wiring();

      const rule = w.rules.find((r) => r.logicalId === 'CreatedToCreate');

      expect(rule).toEqual({
        logicalId: 'CreatedToCreate',
        eventBusName: 'crm-t-bus',
        eventPattern: { source: ['crm'], 'detail-type': ['crm.customer.created.v1'] },
        scheduleExpression: undefined,
        scheduleName: undefined,
        enabled: true,
        targets: [{ kind: 'lambda', id: 'Target0', functionName: 'create-fn', input: undefined, inputPath: '$.detail', retryAttempts: 3, hasDlq: true }],
      });
    });

    it('resolve a state machine target with its parsed Input, default retries and no DLQ; State DISABLED disables', () => {
      const w = wiring();

      const rule = w.rules.find((r) => r.logicalId === 'CreatedToFlow');

      expect(rule?.enabled).toBe(false);
      expect(rule?.targets).toEqual([
        { kind: 'state-machine', id: 'Flow', stateMachineArn: SM_ARN, input: { fixed: true }, inputPath: undefined, retryAttempts: 185, hasDlq: false },
      ]);
    });

    it('give a scheduled rule its expression, its crm:schedule name and the default bus', () => {
      const w = wiring();

      const rule = w.rules.find((r) => r.logicalId === 'Nightly');

      expect(rule).toMatchObject({ eventBusName: 'default', scheduleExpression: 'cron(0 2 * * ? *)', scheduleName: 'nightly', enabled: true });
      expect(rule?.targets.map((t) => t.id)).toEqual(['T']);
    });
  });

  describe('state machines', () => {
    it('parse a DefinitionString built with Fn::Join, named by crm:flow', () => {
      const w = wiring();

      const machines = w.stateMachines;

      expect(machines).toEqual([
        {
          arn: SM_ARN,
          name: 'welcome',
          definition: { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: FN_ARN('create-fn'), End: true } } },
          // Not marked crm:resumable: not run again after a restart.
          resumable: false,
        },
      ]);
    });
  });

  it('list tables by physical name with resolved properties', () => {
    const w = wiring();

    const tables = w.tables;

    expect(tables).toEqual([{ tableName: 'crm-t', properties: { TableName: 'crm-t', StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } } }]);
  });

  it('list the event buses by name', () => {
    const w = wiring();

    const buses = w.eventBuses;

    expect(buses).toEqual(['crm-t-bus']);
  });

  describe('stream mappings', () => {
    it('link a local function to the table whose stream ARN is imported, with parsed filter patterns', () => {
      const w = wiring();

      const mappings = w.streamMappings;

      expect(mappings).toEqual([
        {
          functionName: 'Publish',
          tableName: 'crm-t',
          batchSize: 10,
          filterPatterns: [STREAM_FILTER],
          retryAttempts: 2,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          startingPosition: 'TRIM_HORIZON',
        },
      ]);
    });

    it('fall back to the defaults when the mapping leaves them out', () => {
      const helper = { ...stateless.template.Resources!.CdkHelper!, Metadata: { [METADATA.entry]: 'functions/helper.ts' } };
      const stacks: StackTemplate[] = [stateful, { ...stateless, template: { Resources: { ...stateless.template.Resources, CdkHelper: helper } } }];

      const mapping = readWiring(stacks).streamMappings.find((m) => m.functionName === 'CdkHelper');

      expect(mapping).toEqual({
        functionName: 'CdkHelper',
        tableName: 'crm-t',
        batchSize: 100,
        filterPatterns: [],
        retryAttempts: 10,
        bisectBatchOnError: false,
        reportBatchItemFailures: false,
        startingPosition: 'LATEST',
      });
    });
  });
});

describe('readWiring on the synthesized CDK app (stage local)', () => {
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  let cached: LocalWiring | undefined;
  const real = (): LocalWiring => (cached ??= readWiring(synthesizeTemplates('local')));

  it('serves the API routes with their authorization, runs a welcome flow and a filtered stream mapping', { timeout: 60_000 }, () => {
    const w = real();

    const routes = w.routes.map((r) => `${r.method} ${r.path} ${r.authorization}`);

    expect(routes).toEqual(expect.arrayContaining(['GET /health NONE', 'POST /customers JWT', 'GET /customers/{id} JWT', 'ANY $default NONE']));
    expect(w.stateMachines.map((s) => s.name)).toContain('welcome');
    expect(w.streamMappings.some((m) => m.filterPatterns.length > 0)).toBe(true);
  });

  it('points every function at an entry module that exists', { timeout: 60_000 }, () => {
    const w = real();

    const missing = [...w.functions.values()].filter((f) => !existsSync(`${repoRoot}${f.entry}`)).map((f) => f.entry);

    expect(w.functions.size).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
