// Built once per container, at module load, apart from wiring.ts: only the routes that capture
// leads or follow a confirmation link need the mail sender and the link secret (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { MarketingSettingsRepository } from '../consent/marketing-settings-repository';
import { unsubscribeSecret } from '../consent/unsubscribe-secret-repository';
import { requireEnv } from '../runtime-env';
import type { ConfirmationDeps } from './lead-consent-use-case';
import { leadRepository } from './wiring';

/** Double opt-in at capture: the tenant's switch, the stage's mail, the link secret (POST /leads, lead forms). */
export const confirmationDeps: ConfirmationDeps = {
  settings: /* @__PURE__ */ new MarketingSettingsRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
  mailer: /* @__PURE__ */ stageMail(),
  secret: unsubscribeSecret,
};

/** The confirmation link: the lead and the link secret, no mail. */
export const leadConsentDeps = { leads: leadRepository, customers: leadRepository, secret: unsubscribeSecret };
