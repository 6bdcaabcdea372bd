// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { ContactRepository } from '../contacts/contact-repository';
import { customerRepository } from '../customers/wiring';
import { requireEnv } from '../runtime-env';
import { LeadRepository } from '../leads/lead-repository';
import { AutomationStatsRepository } from '../automations/automation-stats-repository';
import { CampaignEngagementRepository } from '../ses-events/campaign-engagement-repository';
import { ConsentRepository } from './consent-repository';
import { MarketingSettingsRepository } from './marketing-settings-repository';
import { SuppressionRepository } from './suppression-repository';
import { unsubscribeSecret } from './unsubscribe-secret-repository';
import type { UnsubscribeDeps } from './unsubscribe-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const suppressionRepository = /* @__PURE__ */ new SuppressionRepository(documentClient, tableName);

export const marketingSettingsRepository = /* @__PURE__ */ new MarketingSettingsRepository(documentClient, tableName);

/** What the unsubscribe functions use (the secret is read on first use). */
export const unsubscribeDeps: UnsubscribeDeps = {
  consent: /* @__PURE__ */ new ConsentRepository(documentClient, tableName),
  customers: customerRepository,
  contacts: /* @__PURE__ */ new ContactRepository(documentClient, tableName),
  leads: /* @__PURE__ */ new LeadRepository(documentClient, tableName),
  engagement: /* @__PURE__ */ new CampaignEngagementRepository(documentClient, tableName),
  automationStats: /* @__PURE__ */ new AutomationStatsRepository(documentClient, tableName),
  secret: unsubscribeSecret,
};
