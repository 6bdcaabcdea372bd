import type { RouteAccess } from '../../api/route';
import { ENV } from '../../shared/runtime-env';

/**
 * What a row's access spec must come to in the template, written out here rather than taken from
 * infra/constructs/route-functions.ts, so the tests catch a grant that drifts from its spec.
 */

/** Every function: its own log group, and X-Ray (active tracing). */
const BASELINE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** User management and nothing more: no deleting users, no setting passwords. */
const USER_POOL_ADMIN_ACTIONS = [
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDeleteUserAttributes',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminUserGlobalSignOut',
];

/** The IAM actions of a function whose row has this access, sorted. */
export function expectedActions(access: RouteAccess): string[] {
  return unique([
    ...BASELINE_ACTIONS,
    ...(access.table ? TABLE_READ_ACTIONS : []),
    ...(access.table === 'readWrite' ? TABLE_WRITE_ACTIONS : []),
    ...(access.bus ? ['events:PutEvents'] : []),
    ...(access.mail ? ['ses:SendEmail'] : []),
    ...(access.sesTemplates ? ['ses:CreateEmailTemplate', 'ses:UpdateEmailTemplate'] : []),
    ...(access.unsubscribeSecret ? ['dynamodb:GetItem', 'dynamodb:PutItem'] : []),
    ...(access.startFlow ? ['states:StartExecution'] : []),
    ...(access.userPool ? USER_POOL_ADMIN_ACTIONS : []),
    ...(access.replay ? ['events:StartReplay', 'events:DescribeReplay'] : []),
    ...(access.files ? ['s3:GetObject', 's3:PutObject'] : []),
  ]);
}

/** The environment variable names of a function whose row has this access, sorted. */
export function expectedEnvironment(access: RouteAccess): string[] {
  return unique([
    ENV.stage,
    'NODE_OPTIONS',
    ...(access.table ? [ENV.tableName] : []),
    ...(access.bus ? [ENV.eventBusName] : []),
    ...(access.mail ? [ENV.mailFrom, ENV.sesConfigurationSet] : []),
    ...(access.unsubscribeSecret ? [ENV.tableName] : []),
    ...(access.startFlow === 'campaign' ? [ENV.campaignFlowArn] : []),
    ...(access.startFlow === 'import' ? [ENV.importFlowArn] : []),
    ...(access.userPool ? [ENV.userPoolId] : []),
    ...(access.replay ? [ENV.eventArchiveArn, ENV.eventBusArn, ENV.webhookReplayRuleArn] : []),
    ...(access.files ? [ENV.filesBucket] : []),
  ]);
}

/** Sorted, each once: two access kinds may need the same action or variable (the table). */
function unique(items: readonly string[]): string[] {
  return [...new Set(items)].sort();
}
