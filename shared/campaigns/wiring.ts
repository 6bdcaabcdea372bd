// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { DeleteEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { documentClient } from '../aws/dynamodb';
import { sesV2 } from '../aws/sesv2';
import { stageMail } from '../aws/stage-mail';
import { FrequencyCapRepository } from '../consent/frequency-cap-repository';
import { OfferLockRepository } from '../consent/offer-lock-repository';
import { unsubscribeSecret } from '../consent/unsubscribe-secret-repository';
import { marketingSettingsRepository, suppressionRepository } from '../consent/wiring';
import { keys } from '../keys';
import { requireEnv } from '../runtime-env';
import { segmentCustomerReader, segmentRepository } from '../segments/wiring';
import { sesTemplateName } from '../templates/ses-template-name';
import { SesTemplateStore } from '../templates/ses-template-gateway';
import { templateRepository } from '../templates/wiring';
import type { BatchSenderDeps } from './campaign-batch-use-case';
import type { CampaignFlowDeps } from './campaign-flow-use-cases';
import type { FreezeDeps } from './campaign-freeze-use-case';
import { CampaignRecipientFacts } from './campaign-recipient-repository';
import { CampaignRepository } from './campaign-repository';
import { campaignRunHandOver, campaignRunStarter } from './campaign-run-gateway';
import type { CampaignDeps } from './campaign-use-cases';
import { SendRateLimiter } from './send-rate-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');
const stage = /* @__PURE__ */ requireEnv('STAGE');

export const campaigns = /* @__PURE__ */ new CampaignRepository(documentClient, tableName);
export const accountRatePerSecond = /* @__PURE__ */ Number(/* @__PURE__ */ requireEnv('SES_MAX_SEND_RATE'));
/** Each campaign sends through its own copy of its template (campaign-flow-use-cases.ts, startCampaignRun). */
export const campaignSesTemplateName = (tenantId: string, campaignId: string) => sesTemplateName(stage, tenantId, campaignId);

/** What the campaign API functions use. */
export const campaignDeps: CampaignDeps = {
  campaigns,
  templates: templateRepository,
  segments: segmentRepository,
  runs: campaignRunStarter,
  schedule: { schedule: (campaign, at) => campaigns.scheduleStart(campaign, at) },
};

/** What the campaign functions that start no run use (read, list, pause, cancel). */
export const campaignReadDeps = { campaigns };

/** What every step of the campaign flow shares. */
export const campaignFlowDeps: CampaignFlowDeps = { campaigns, sesTemplateName: campaignSesTemplateName, accountRatePerSecond };

/** Planning counts the execution's batches against its history budget. */
export const campaignPlanDeps = { ...campaignFlowDeps, batchesPerExecution: /* @__PURE__ */ Number(/* @__PURE__ */ requireEnv('CAMPAIGN_BATCHES_PER_EXECUTION')) };

/** The hand-over starts the run's next execution. */
export const campaignHandOverDeps = { campaigns, handOver: campaignRunHandOver };

/** The steps that copy the template into the campaign's SES template and delete the copy at the end. */
export const campaignTemplateDeps = {
  campaigns,
  sesTemplateName: campaignSesTemplateName,
  accountRatePerSecond,
  templates: templateRepository,
  sesTemplates: /* @__PURE__ */ new SesTemplateStore(sesV2),
  deleteSesTemplate: async (name: string) => {
    await sesV2.send(new DeleteEmailTemplateCommand({ TemplateName: name }));
  },
};

const recipientFacts = /* @__PURE__ */ new CampaignRecipientFacts(documentClient, tableName, suppressionRepository);

/** What freezing the audience reads: the segment's index, the recipients' facts, the tenant's cap. */
export const freezeDeps: FreezeDeps = {
  campaigns,
  reader: segmentCustomerReader,
  facts: recipientFacts,
  settings: marketingSettingsRepository,
};

/** What the batch sender uses (it alone sends campaign mail and signs unsubscribe links). */
export const batchSenderDeps: BatchSenderDeps = {
  campaigns,
  facts: recipientFacts,
  settings: marketingSettingsRepository,
  frequency: /* @__PURE__ */ new FrequencyCapRepository(documentClient, tableName),
  leadFrequency: /* @__PURE__ */ new FrequencyCapRepository(documentClient, tableName, keys.leadMarketingFrequency),
  contactFrequency: /* @__PURE__ */ new FrequencyCapRepository(documentClient, tableName, keys.contactMarketingFrequencyOf),
  offers: /* @__PURE__ */ new OfferLockRepository(documentClient, tableName),
  limiter: /* @__PURE__ */ new SendRateLimiter(documentClient, tableName, accountRatePerSecond),
  mailer: /* @__PURE__ */ stageMail(),
  sesTemplateName: campaignSesTemplateName,
  unsubscribeSecret,
  apiBaseUrl: /* @__PURE__ */ requireEnv('API_BASE_URL'),
};
