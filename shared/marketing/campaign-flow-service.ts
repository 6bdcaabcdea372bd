import { DeleteEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { documentClient } from '../aws/dynamodb';
import { sesV2 } from '../aws/sesv2';
import { ENV, requireEnv } from '../runtime-env';
import type { CampaignFlowDeps } from './campaign-flow-steps';
import { CampaignRecipientFacts } from './campaign-recipient-facts';
import { CampaignRepository } from './campaign-repository';
import { sesTemplateName } from './ses-template-name';
import { MarketingSettingsRepository } from './marketing-settings-repository';
import { SegmentCustomerReader } from './segment-repository';
import { SesTemplateStore } from './ses-template-store';
import { SuppressionRepository } from './suppression-repository';
import { TemplateRepository } from './template-repository';

const tableName = requireEnv(ENV.tableName);
const stage = requireEnv(ENV.stage);
export const campaigns = new CampaignRepository(documentClient, tableName);
export const facts = new CampaignRecipientFacts(documentClient, tableName, new SuppressionRepository(documentClient, tableName));
export const settings = new MarketingSettingsRepository(documentClient, tableName);
export const accountRatePerSecond = Number(requireEnv(ENV.sesMaxSendRate));
/** Each campaign sends through its own copy of its template (campaign-flow-steps.ts, startCampaignRun). */
export const campaignSesTemplateName = (tenantId: string, campaignId: string) => sesTemplateName(stage, tenantId, campaignId);

/** What the campaign flow's steps use; built once per container. */
export const campaignFlowDeps: CampaignFlowDeps & { deleteSesTemplate: (name: string) => Promise<void> } = {
  campaigns,
  templates: new TemplateRepository(documentClient, tableName),
  sesTemplates: new SesTemplateStore(sesV2),
  sesTemplateName: campaignSesTemplateName,
  reader: new SegmentCustomerReader(documentClient, tableName),
  facts,
  settings,
  accountRatePerSecond,
  deleteSesTemplate: async (name) => {
    await sesV2.send(new DeleteEmailTemplateCommand({ TemplateName: name }));
  },
};
