// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { SendRateLimiter } from '../campaigns/send-rate-repository';
import { clock } from '../clock';
import { FrequencyCapRepository } from '../consent/frequency-cap-repository';
import { OfferLockRepository } from '../consent/offer-lock-repository';
import { unsubscribeSecret } from '../consent/unsubscribe-secret-repository';
import { marketingSettingsRepository, suppressionRepository } from '../consent/wiring';
import { requireEnv } from '../runtime-env';
import { templateRepository } from '../templates/wiring';
import { AutomationReader } from './automation-trigger-repository';
import { AutomationRepository } from './automation-repository';
import type { AutomationFlowDeps } from './automation-send-flow-use-cases';
import { AutomationSendReads } from './automation-send-read-repository';
import { AutomationSendRepository } from './automation-send-repository';
import { AutomationStatsRepository } from './automation-stats-repository';
import type { AutomationDeps } from './automation-use-cases';
import { MarketingDueRepository } from './marketing-due-repository';
import type { DueSweepDeps } from './marketing-due-use-case';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

/** What the automation API functions use (no SES client: they only read templates). */
export const automationDeps: AutomationDeps = {
  automations: /* @__PURE__ */ new AutomationRepository(documentClient, tableName),
  templates: templateRepository,
  stats: /* @__PURE__ */ new AutomationStatsRepository(documentClient, tableName),
};

const reads = /* @__PURE__ */ new AutomationSendReads(documentClient, tableName);

/** What the automations dispatcher and the marketing-due sweep send with. */
export const automationFlowDeps: AutomationFlowDeps = {
  send: {
    customers: { get: (tenantId, customerId) => reads.customer(tenantId, customerId) },
    templates: { get: (tenantId, templateId) => reads.template(tenantId, templateId) },
    suppressions: suppressionRepository,
    settings: marketingSettingsRepository,
    frequency: /* @__PURE__ */ new FrequencyCapRepository(documentClient, tableName),
    offers: /* @__PURE__ */ new OfferLockRepository(documentClient, tableName),
    rate: /* @__PURE__ */ new SendRateLimiter(documentClient, tableName, /* @__PURE__ */ Number(/* @__PURE__ */ requireEnv('SES_MAX_SEND_RATE'))),
    mailer: /* @__PURE__ */ stageMail(),
    unsubscribeSecret,
    apiBaseUrl: /* @__PURE__ */ requireEnv('API_BASE_URL'),
    stage: /* @__PURE__ */ requireEnv('STAGE'),
  },
  sends: /* @__PURE__ */ new AutomationSendRepository(documentClient, tableName),
  automations: /* @__PURE__ */ new AutomationReader(documentClient, tableName),
  // A call, not `clock.nowIso` itself: esbuild counts a property read as a possible side effect
  // and would keep this whole object (and what it builds) in every bundle that imports this module.
  nowIso: () => clock.nowIso(),
};

/** The marketing-due sweep's index access. */
export const marketingDueDeps: DueSweepDeps = {
  due: /* @__PURE__ */ new MarketingDueRepository(documentClient, tableName),
  nowIso: () => clock.nowIso(),
};
