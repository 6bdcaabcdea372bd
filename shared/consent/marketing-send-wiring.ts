// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
// Not consent/wiring's instances: that module imports the customers' wiring, which imports this one.
import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { SendRateLimiter } from '../campaigns/send-rate-repository';
import { keys } from '../keys';
import { requireEnv } from '../runtime-env';
import { FrequencyCapRepository } from './frequency-cap-repository';
import { MarketingSendReads } from './marketing-send-read-repository';
import type { MarketingSendDeps } from './marketing-send-use-case';
import { MarketingSettingsRepository } from './marketing-settings-repository';
import { OfferLockRepository } from './offer-lock-repository';
import { SuppressionRepository } from './suppression-repository';
import { unsubscribeSecret } from './unsubscribe-secret-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');
const reads = /* @__PURE__ */ new MarketingSendReads(documentClient, tableName);

/** What every marketing send (an automation's, the welcome mail) checks and sends with: one sender, one set of rules. */
export const marketingSendDeps: MarketingSendDeps = {
  customers: { get: (tenantId, customerId) => reads.customer(tenantId, customerId) },
  leads: { get: (tenantId, leadId) => reads.lead(tenantId, leadId) },
  contacts: { get: (tenantId, customerId, contactId) => reads.contact(tenantId, customerId, contactId), list: (tenantId, customerId, limit) => reads.contactsOf(tenantId, customerId, limit) },
  stillLive: (tenantId, recipient) => reads.stillLive(tenantId, recipient),
  templates: { get: (tenantId, templateId) => reads.template(tenantId, templateId) },
  suppressions: /* @__PURE__ */ new SuppressionRepository(documentClient, tableName),
  settings: /* @__PURE__ */ new MarketingSettingsRepository(documentClient, tableName),
  frequency: /* @__PURE__ */ new FrequencyCapRepository(documentClient, tableName),
  leadFrequency: /* @__PURE__ */ new FrequencyCapRepository(documentClient, tableName, keys.leadMarketingFrequency),
  contactFrequency: /* @__PURE__ */ new FrequencyCapRepository(documentClient, tableName, keys.contactMarketingFrequencyOf),
  offers: /* @__PURE__ */ new OfferLockRepository(documentClient, tableName),
  rate: /* @__PURE__ */ new SendRateLimiter(documentClient, tableName, /* @__PURE__ */ Number(/* @__PURE__ */ requireEnv('SES_MAX_SEND_RATE'))),
  mailer: /* @__PURE__ */ stageMail(),
  unsubscribeSecret,
  apiBaseUrl: /* @__PURE__ */ requireEnv('API_BASE_URL'),
  stage: /* @__PURE__ */ requireEnv('STAGE'),
};
