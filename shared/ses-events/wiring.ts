// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { suppressionRepository } from '../consent/wiring';
import { requireEnv } from '../runtime-env';
import { AutomationStatsRepository } from '../automations/automation-stats-repository';
import { CampaignEngagementRepository } from './campaign-engagement-repository';
import { SesEventRepository } from './ses-event-repository';
import { leadMailSignals } from '../leads/lead-mail-signals';
import { leadRepository } from '../leads/wiring';
import type { SesEventDeps } from './ses-event-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const sesEventDeps: SesEventDeps = {
  suppressions: suppressionRepository,
  timeline: /* @__PURE__ */ new SesEventRepository(documentClient, tableName),
  engagement: /* @__PURE__ */ new CampaignEngagementRepository(documentClient, tableName),
  automationStats: /* @__PURE__ */ new AutomationStatsRepository(documentClient, tableName),
  leadSignals: /* @__PURE__ */ leadMailSignals(leadRepository),
};
