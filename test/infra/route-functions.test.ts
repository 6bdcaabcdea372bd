import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import type { ApiRoute, RouteAccess, RouteStack } from '../../api/route';
import { API_ROUTES } from '../../api/route-table';
import { createRouteFunctions, type RouteResources } from '../../infra/constructs/route-functions';
import { stageConfig } from '../../infra/stage-config';
import { expectedActions, expectedEnvironment } from './route-access';
import { testApp } from './synthesize-stage';
import { UnsubscribeKey } from '../../infra/constructs/unsubscribe-key';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, navigated by the tests
type Resources = Record<string, { Properties: Record<string, any> }>;

const health = API_ROUTES.find((route) => route.path === '/health')!;
const probeRow = (access: RouteAccess, stack: RouteStack = 'stateless', functionId = 'Probe'): ApiRoute => ({ ...health, path: `/${functionId}`, functionId, access, stack });

type Offer = Pick<RouteResources, 'unsubscribeSecret' | 'flows'>;
/** The secret and the flow a stack may offer beyond table, bus and mail. */
const everything = (stack: Stack): Offer => ({
  unsubscribeSecret: new UnsubscribeKey(Table.fromTableArn(stack, 'KeyTable', 'arn:aws:dynamodb:eu-central-1:111111111111:table/crm-dev')),
  flows: { campaign: StateMachine.fromStateMachineName(stack, 'Flow', 'campaign') },
});

/** The rows' functions in a stack of their own, without the rest of the app: every access kind, used by a row or not yet. */
function probe(rows: readonly ApiRoute[], offer: (stack: Stack) => Offer = () => ({})) {
  const stack = new Stack(testApp({ 'aws:cdk:bundling-stacks': [] }), 'Probe');
  const resources: RouteResources = {
    config: stageConfig('dev'),
    table: Table.fromTableArn(stack, 'Table', 'arn:aws:dynamodb:eu-central-1:111111111111:table/crm-dev'),
    bus: EventBus.fromEventBusName(stack, 'Bus', 'crm-dev'),
    configurationSet: ConfigurationSet.fromConfigurationSetName(stack, 'Mail', 'crm-dev'),
    ...offer(stack),
  };
  const routed = createRouteFunctions(stack, 'stateless', resources, rows);
  return { stack, routed };
}

function grantsOf(stack: Stack) {
  const template = Template.fromStack(stack);
  const actions = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
    .flatMap((statement) => [statement.Action].flat());
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function') as Resources);
  return { actions: [...new Set(actions)].sort(), environment: Object.keys(fn!.Properties.Environment.Variables).sort(), timeout: fn!.Properties.Timeout };
}

describe('createRouteFunctions', () => {
  it.each<RouteAccess>([
    {},
    { table: 'read' },
    { table: 'readWrite' },
    { bus: 'put' },
    { mail: 'send' },
    { sesTemplates: 'write' },
    { unsubscribeSecret: 'read' },
    { startFlow: 'campaign' },
    { table: 'readWrite', unsubscribeSecret: 'read', startFlow: 'campaign' },
  ])('grants %j and nothing else, with the environment its handler reads', (access) => {
    const { stack } = probe([probeRow(access)], everything);

    const { actions, environment } = grantsOf(stack);
    expect(actions).toEqual(expectedActions(access));
    expect(environment).toEqual(expectedEnvironment(access));
  });

  it('creates the rows of its stack only, under their function ids, with their timeouts', () => {
    const { stack, routed } = probe([{ ...probeRow({}), timeoutSeconds: 29 }, probeRow({}, 'sales', 'Elsewhere')]);

    expect(routed.map((r) => r.fn.node.id)).toEqual(['Probe']);
    expect(grantsOf(stack).timeout).toBe(29);
  });

  it('fails the synth for a row that needs what its stack does not offer', () => {
    expect(() => probe([probeRow({ unsubscribeSecret: 'read' })])).toThrow(/GET \/Probe needs the unsubscribe secret, which stack stateless does not offer/);
    expect(() => probe([probeRow({ startFlow: 'campaign' })])).toThrow(/GET \/Probe needs the campaign flow, which stack stateless does not offer/);
  });
});
