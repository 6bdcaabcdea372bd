import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { ENV, requireEnv } from '../runtime-env';
import type { BatchSenderDeps } from './campaign-batch-sender';
import { CampaignRecipientFacts } from './campaign-recipient-facts';
import { accountRatePerSecond, campaigns, campaignSesTemplateName } from './campaign-flow-service';
import { MarketingSettingsRepository } from '../consent/marketing-settings-repository';
import { SuppressionRepository } from '../consent/suppression-repository';
import { FrequencyCapRepository } from '../consent/frequency-cap-repository';
import { OfferLockRepository } from '../consent/offer-lock-repository';
import { SendRateLimiter } from './send-rate-limiter';
import { unsubscribeSecret } from '../consent/unsubscribe-secret';

const tableName = requireEnv(ENV.tableName);
const facts = new CampaignRecipientFacts(documentClient, tableName, new SuppressionRepository(documentClient, tableName));
const settings = new MarketingSettingsRepository(documentClient, tableName);

/** What the batch sender uses (it alone sends mail and signs unsubscribe links); built once per container. */
export const batchSenderDeps: BatchSenderDeps = {
  campaigns,
  facts,
  settings,
  frequency: new FrequencyCapRepository(documentClient, tableName),
  offers: new OfferLockRepository(documentClient, tableName),
  limiter: new SendRateLimiter(documentClient, tableName, accountRatePerSecond),
  mailer: stageMail(),
  sesTemplateName: campaignSesTemplateName,
  unsubscribeSecret,
  apiBaseUrl: requireEnv(ENV.apiBaseUrl),
};
