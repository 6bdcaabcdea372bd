import { documentClient } from '../aws/dynamodb';
import { CampaignRecipientFacts } from './campaign-recipient-facts';
import { campaigns, tableName } from './campaign-flow-service';
import type { FreezeDeps } from './campaign-freeze-step';
import { MarketingSettingsRepository } from '../consent/marketing-settings-repository';
import { SegmentCustomerReader } from '../segments/segment-repository';
import { SuppressionRepository } from '../consent/suppression-repository';

/** What freezing the audience reads: the segment's index, the recipients' facts, the tenant's cap. */
export const freezeDeps: FreezeDeps = {
  campaigns,
  reader: new SegmentCustomerReader(documentClient, tableName),
  facts: new CampaignRecipientFacts(documentClient, tableName, new SuppressionRepository(documentClient, tableName)),
  settings: new MarketingSettingsRepository(documentClient, tableName),
};
