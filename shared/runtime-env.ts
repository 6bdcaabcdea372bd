/**
 * The environment variables the infrastructure hands to every function. Infra sets them from
 * these names and handlers read them through `requireEnv`, so a rename cannot drift apart.
 */
export const ENV = {
  stage: 'STAGE',
  tableName: 'TABLE_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  mailFrom: 'MAIL_FROM',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** The public base URL of the HTTP API: unsubscribe links in marketing mail point there. */
  apiBaseUrl: 'API_BASE_URL',
  /** The SES account's maximum send rate (recipients per second) the senders stay under (docs/marketing.md, "Send rate"). */
  sesMaxSendRate: 'SES_MAX_SEND_RATE',
  /** The campaign flow's state machine: `/send` and `/resume` start runs of it. */
  campaignFlowArn: 'CAMPAIGN_FLOW_ARN',
  /** The campaign flow's history budget in batches per execution (StageConfig.campaignBatchesPerExecution). */
  campaignBatchesPerExecution: 'CAMPAIGN_BATCHES_PER_EXECUTION',
  /** The stage's Cognito user pool: POST /users invites into it, deactivation disables sign-in there. */
  userPoolId: 'USER_POOL_ID',
  /** The domain whose `<tenantId>@` addresses receive mail for cases (docs/service.md, "Inbound mail"). */
  inboundMailDomain: 'INBOUND_MAIL_DOMAIN',
  /** The bucket SES stores received mail in, read by the inbound handler. */
  inboundMailBucket: 'INBOUND_MAIL_BUCKET',
  /** The stage's event archive, the bus and the webhook dispatcher's rule: a webhook replay (docs/integrations.md). */
  eventArchiveArn: 'EVENT_ARCHIVE_ARN',
  eventBusArn: 'EVENT_BUS_ARN',
  webhookReplayRuleArn: 'WEBHOOK_REPLAY_RULE_ARN',
  /** The bucket of imports' uploads and reports and of exports (docs/integrations.md). */
  filesBucket: 'FILES_BUCKET',
  /** The import flow's state machine: `POST /imports/{id}/run` starts runs of it. */
  importFlowArn: 'IMPORT_FLOW_ARN',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

export function optionalEnv(name: EnvName): string | undefined {
  return process.env[name] || undefined;
}
