import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Everything that differs between stages, decided in one place. `prod` and `staging` hold real
 * data and must survive a mistaken `cdk destroy`; every other stage (dev, local, per-PR) must
 * tear down without leftovers so that short-lived stages cost nothing once gone.
 */
export interface StageConfig {
  readonly stage: string;
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly pointInTimeRecovery: boolean;
  readonly logRetention: RetentionDays;
  readonly alarms: boolean;
  /** How long the bus archive keeps events for replay; undefined: no archive. */
  readonly eventArchiveRetention?: Duration;
  /** Sender address of every email; SES must have it (or its domain) verified in the account. */
  readonly mailFrom: string;
  /**
   * The domain whose `<tenantId>@` addresses receive mail for cases (`-c inboundMailDomain=`):
   * its MX record points at SES receiving; default `inbound.<mailFrom's domain>` (docs/service.md).
   */
  readonly inboundMailDomain: string;
  readonly apiThrottle: { readonly burstLimit: number; readonly rateLimit: number };
  /**
   * The SES account's maximum send rate (recipients per second, from the SES console's sending
   * limits): campaigns and automations together never exceed it. 14 is a new production
   * account's; the local stand-in has no quota, so the local stage allows more.
   */
  readonly sesMaxSendRate: number;
  /**
   * The history budget of the campaign flow, in batches (of up to 50 recipients) per execution
   * (`-c campaignBatchesPerExecution=`): a run hands over to a fresh execution when it is spent
   * (docs/marketing.md, "Campaigns of any size"). A batch costs about 7.6 history events, so the
   * default 1,000 stays near 7,600 of Step Functions' 25,000, leaving room for throttling retries.
   * The local stage uses 5 so that every local campaign of more than 250 recipients hands over.
   */
  readonly campaignBatchesPerExecution: number;
  /**
   * Origins whose pages may call the API from a browser (CORS). `*` is allowed on dev-like stages
   * only: on `prod` and `staging` a page elsewhere could otherwise drive the API with a token it
   * holds. Empty: no CORS at all (same-origin clients, servers and curl still work).
   */
  readonly corsOrigins: readonly string[];
  /** Subscribed to the alarm topic (`-c alarmEmail=`); stages with alarms only. */
  readonly alarmEmail?: string;
  /**
   * The `crm-<stage>` CloudWatch dashboard: on prod and staging; on a dev-like stage only with
   * `-c dashboard=true`, because a dashboard costs $3 a month beyond an account's first three and
   * a dev-like stage must cost (almost) nothing at idle (docs/cost.md).
   */
  readonly dashboard: boolean;
}

export interface StageOverrides {
  readonly mailFrom?: string;
  readonly inboundMailDomain?: string;
  readonly sesMaxSendRate?: number;
  readonly campaignBatchesPerExecution?: number;
  /** From `-c corsOrigins=https://crm.example.com,https://admin.example.com`. */
  readonly corsOrigins?: string;
  readonly alarmEmail?: string;
  readonly dashboard?: boolean;
}

export const DEFAULT_SES_MAX_SEND_RATE = 14;
export const LOCAL_SES_MAX_SEND_RATE = 1000;
export const DEFAULT_CAMPAIGN_BATCHES_PER_EXECUTION = 1000;
export const LOCAL_CAMPAIGN_BATCHES_PER_EXECUTION = 5;
/** Above this a run of 20-batch rounds with retries could pass Step Functions' 25,000 history events. */
const MAX_CAMPAIGN_BATCHES_PER_EXECUTION = 2000;

export const DEFAULT_MAIL_FROM = 'no-reply@example.com';

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;
/** A browser origin: scheme, host and optional port, nothing after (RFC 6454 serialisation). */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;
const PERSISTENT_STAGES = new Set(['prod', 'staging']);
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;

/** Stage names end up in stack, bus and resource names, so they must be short and DNS-safe. */
export function assertValidStageName(stage: string): void {
  if (!STAGE_NAME.test(stage)) {
    throw new Error(
      `Invalid stage name "${stage}": use 1-20 lowercase letters, digits or dashes, starting with a letter (e.g. dev, prod, pr-123).`,
    );
  }
}

const persistentStage = {
  removalPolicy: RemovalPolicy.RETAIN,
  deletionProtection: true,
  pointInTimeRecovery: true,
  alarms: true,
} as const;

export function stageConfig(stage: string, overrides: StageOverrides = {}): StageConfig {
  assertValidStageName(stage);
  const mailFrom = overrides.mailFrom ?? DEFAULT_MAIL_FROM;
  if (!EMAIL.test(mailFrom)) throw new Error(`Invalid mailFrom "${mailFrom}": expected a plain email address.`);

  const inboundMailDomain = (overrides.inboundMailDomain ?? `inbound.${mailFrom.slice(mailFrom.lastIndexOf('@') + 1)}`).toLowerCase();
  if (!DOMAIN.test(inboundMailDomain)) throw new Error(`Invalid inboundMailDomain "${inboundMailDomain}": expected a domain name such as support.example.com.`);

  const sesMaxSendRate = overrides.sesMaxSendRate ?? (stage === 'local' ? LOCAL_SES_MAX_SEND_RATE : DEFAULT_SES_MAX_SEND_RATE);
  if (!Number.isInteger(sesMaxSendRate) || sesMaxSendRate < 1) throw new Error(`Invalid sesMaxSendRate "${sesMaxSendRate}": expected a whole number of at least 1.`);

  const campaignBatchesPerExecution = overrides.campaignBatchesPerExecution ?? (stage === 'local' ? LOCAL_CAMPAIGN_BATCHES_PER_EXECUTION : DEFAULT_CAMPAIGN_BATCHES_PER_EXECUTION);
  if (!Number.isInteger(campaignBatchesPerExecution) || campaignBatchesPerExecution < 1 || campaignBatchesPerExecution > MAX_CAMPAIGN_BATCHES_PER_EXECUTION) {
    throw new Error(`Invalid campaignBatchesPerExecution "${campaignBatchesPerExecution}": expected a whole number from 1 to ${MAX_CAMPAIGN_BATCHES_PER_EXECUTION}.`);
  }
  const corsOrigins = parseCorsOrigins(stage, overrides.corsOrigins);
  const { alarmEmail } = overrides;
  if (alarmEmail !== undefined) {
    if (!EMAIL.test(alarmEmail)) throw new Error(`Invalid alarmEmail "${alarmEmail}": expected a plain email address.`);
    if (!PERSISTENT_STAGES.has(stage)) throw new Error(`Stage "${stage}" has no alarms: alarmEmail applies to prod and staging.`);
  }
  const dashboard = overrides.dashboard ?? PERSISTENT_STAGES.has(stage);
  const common = { stage, mailFrom, inboundMailDomain, sesMaxSendRate, campaignBatchesPerExecution, corsOrigins, alarmEmail, dashboard, apiThrottle: { burstLimit: 200, rateLimit: 100 } };
  switch (stage) {
    case 'prod':
      return { ...common, ...persistentStage, logRetention: RetentionDays.ONE_YEAR, eventArchiveRetention: Duration.days(365) };
    case 'staging':
      return { ...common, ...persistentStage, logRetention: RetentionDays.THREE_MONTHS, eventArchiveRetention: Duration.days(30) };
    default:
      return {
        ...common,
        removalPolicy: RemovalPolicy.DESTROY,
        deletionProtection: false,
        pointInTimeRecovery: false,
        logRetention: RetentionDays.ONE_WEEK,
        alarms: false,
        // Webhook replays read it (docs/integrations.md); a dev stage's events are a few KB a day.
        eventArchiveRetention: Duration.days(7),
      };
  }
}

/** Dev-like stages default to `*` (any local console works); persistent stages name their origins. */
function parseCorsOrigins(stage: string, value: string | undefined): string[] {
  const persistent = PERSISTENT_STAGES.has(stage);
  if (value === undefined) return persistent ? [] : ['*'];
  const origins = value.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    if (origin === '*') {
      if (persistent) throw new Error(`Invalid corsOrigins for stage "${stage}": "*" is for dev-like stages only; name the console's origins (https://crm.example.com).`);
    } else if (!ORIGIN.test(origin)) {
      throw new Error(`Invalid corsOrigins entry "${origin}": expected an origin such as https://crm.example.com (scheme, host, optional port; no path).`);
    }
  }
  return origins;
}
