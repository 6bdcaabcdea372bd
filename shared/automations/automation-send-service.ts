import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { clock } from '../clock';
import { ENV, requireEnv } from '../runtime-env';
import { AutomationReader } from './automation-reader';
import { AutomationSendReads } from './automation-send-reads';
import { AutomationSendRepository } from './automation-send-repository';
import type { AutomationFlowDeps } from './automation-send-flow';
import { FrequencyCapRepository } from '../consent/frequency-cap-repository';
import { OfferLockRepository } from '../consent/offer-lock-repository';
import { MarketingSettingsRepository } from '../consent/marketing-settings-repository';
import { SendRateLimiter } from '../campaigns/send-rate-limiter';
import { SuppressionRepository } from '../consent/suppression-repository';
import { unsubscribeSecret } from '../consent/unsubscribe-secret';

const table = requireEnv(ENV.tableName);
const reads = new AutomationSendReads(documentClient, table);

/** What the automations dispatcher and the marketing-due sweep send with, built once per container. */
export const automationFlowDeps: AutomationFlowDeps = {
  send: {
    customers: { get: (tenantId, customerId) => reads.customer(tenantId, customerId) },
    templates: { get: (tenantId, templateId) => reads.template(tenantId, templateId) },
    suppressions: new SuppressionRepository(documentClient, table),
    settings: new MarketingSettingsRepository(documentClient, table),
    frequency: new FrequencyCapRepository(documentClient, table),
    offers: new OfferLockRepository(documentClient, table),
    rate: new SendRateLimiter(documentClient, table, Number(requireEnv(ENV.sesMaxSendRate))),
    mailer: stageMail(),
    unsubscribeSecret,
    apiBaseUrl: requireEnv(ENV.apiBaseUrl),
    stage: requireEnv(ENV.stage),
  },
  sends: new AutomationSendRepository(documentClient, table),
  automations: new AutomationReader(documentClient, table),
  nowIso: clock.nowIso,
};
