import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { Archive, IEventBus, IRule } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { type ApiRoute, type RouteFlow, type RouteStack, routeKey } from '../../api/route';
import { API_ROUTES } from '../../api/route-table';
import { ENV } from '../../shared/runtime-env';
import { sesTemplatePrefix } from '../../shared/templates/email-template';
import type { StageConfig } from '../stage-config';
import { CrmFunction } from './crm-function';
import type { UnsubscribeKey } from './unsubscribe-key';

/** What a stack offers its rows' functions: a row that needs something its stack lacks fails the synth. */
export interface RouteResources {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly bus: IEventBus;
  readonly configurationSet: IConfigurationSet;
  /** Signs unsubscribe links; only stacks whose rows read it pass it. */
  readonly unsubscribeSecret?: UnsubscribeKey;
  /** The stage's user pool; only the stack of the user routes passes it. */
  readonly userPool?: IUserPool;
  /** The flows this stack's rows may start. */
  readonly flows?: Readonly<Partial<Record<RouteFlow, IStateMachine>>>;
  /** What a webhook replay starts: the stage's event archive and the dispatcher's rule, which alone gets the replayed events. */
  readonly replay?: { readonly archive: Archive; readonly bus: IEventBus; readonly rule: IRule };
  /** The files bucket (imports, exports); only the integrations stack passes it. */
  readonly filesBucket?: IBucket;
}

/** A row of the route table and the function a stack made of it. */
export interface RoutedFunction {
  readonly route: ApiRoute;
  readonly fn: CrmFunction;
}

/** What the user routes do in Cognito (shared/users/cognito-gateway.ts), and nothing else: no deleting users, no passwords. */
const USER_POOL_ADMIN_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminDeleteUserAttributes',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminUserGlobalSignOut',
];

/** The environment variable that carries each flow's ARN to the functions that start it. */
const FLOW_ARN_ENV: Readonly<Record<RouteFlow, string>> = { campaign: ENV.campaignFlowArn, import: ENV.importFlowArn };

/**
 * The function of every row of the route table that names `stack`: the house construct under the
 * row's function id (so logical ids, and the local runtime's function names, follow the row), its
 * timeout, and exactly the grants of its access spec. Routes and alarms are added by the caller.
 */
export function createRouteFunctions(scope: Construct, stack: RouteStack, resources: RouteResources, routes: readonly ApiRoute[] = API_ROUTES): RoutedFunction[] {
  return routes
    .filter((route) => route.stack === stack)
    .map((route) => {
      const timeout = route.timeoutSeconds === undefined ? undefined : Duration.seconds(route.timeoutSeconds);
      const fn = new CrmFunction(scope, route.functionId, { entry: route.handler, config: resources.config, timeout });
      grantRouteAccess(fn, route, resources);
      return { route, fn };
    });
}

/** The grants of a row's access spec, each with the environment variable its handler reads; nothing more. */
export function grantRouteAccess(fn: CrmFunction, route: ApiRoute, resources: RouteResources): void {
  const { access } = route;
  const { config } = resources;
  const missing = (what: string) => new Error(`${routeKey(route)} needs ${what}, which stack ${route.stack} does not offer`);
  if (access.unsubscribeSecret) {
    if (!resources.unsubscribeSecret) throw missing('the unsubscribe secret');
    resources.unsubscribeSecret.grantReadCreate(fn);
  }
  if (access.table) fn.grantTable(resources.table, access.table);
  if (access.bus) fn.grantPutEvents(resources.bus);
  if (access.mail) fn.grantSendEmail(resources.configurationSet, config.mailFrom);
  if (access.sesTemplates) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:CreateEmailTemplate', 'ses:UpdateEmailTemplate'],
        resources: [Stack.of(fn).formatArn({ service: 'ses', resource: 'template', resourceName: `${sesTemplatePrefix(config.stage)}*` })],
      }),
    );
  }
  if (access.userPool) {
    if (!resources.userPool) throw missing('the user pool');
    resources.userPool.grant(fn, ...USER_POOL_ADMIN_ACTIONS);
    fn.addEnvironment(ENV.userPoolId, resources.userPool.userPoolId);
  }
  if (access.replay) {
    if (!resources.replay) throw missing('the event archive and the webhook dispatcher rule');
    const { archive, bus, rule } = resources.replay;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['events:StartReplay'], resources: [archive.archiveArn] }));
    // Whether the webhook's previous replay has ended; webhook replays alone are named `whr-`.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['events:DescribeReplay'], resources: [Stack.of(fn).formatArn({ service: 'events', resource: 'replay', resourceName: 'whr-*' })] }));
    fn.addEnvironment(ENV.eventArchiveArn, archive.archiveArn);
    fn.addEnvironment(ENV.eventBusArn, bus.eventBusArn);
    fn.addEnvironment(ENV.webhookReplayRuleArn, rule.ruleArn);
  }
  if (access.files) {
    if (!resources.filesBucket) throw missing('the files bucket');
    grantFiles(fn, resources.filesBucket);
  }
  if (access.startFlow) {
    const flow = resources.flows?.[access.startFlow];
    if (!flow) throw missing(`the ${access.startFlow} flow`);
    flow.grantStartExecution(fn);
    fn.addEnvironment(FLOW_ARN_ENV[access.startFlow], flow.stateMachineArn);
  }
}

/** Objects of the files bucket (read, write, and so sign links to): nothing else, no listing, no deletes (its lifecycle rule expires them). */
export function grantFiles(fn: CrmFunction, bucket: IBucket): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket.arnForObjects('tenants/*')] }));
  fn.addEnvironment(ENV.filesBucket, bucket.bucketName);
}
