// Built once per container, at module load (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { ENV, optionalEnv, requireEnv } from '../runtime-env';
import { AWS_RULES, LOCAL_RULES } from './webhook-address';
import { eventArchiveReplays } from './webhook-replay-gateway';
import { WebhookRepository } from './webhook-repository';
import { sendSignedAttempt } from './webhook-gateway';
import type { WebhookDeps, WebhookReplayDeps } from './webhook-use-cases';
import type { WebhookDisabledMailDeps } from './webhook-disabled-mail-use-case';
import { stageMail } from '../aws/stage-mail';
import { OnceStore } from '../idempotency/once-store';
import { UserDirectory } from '../users/user-repository';

/** The directory built here, not taken from users/wiring: these functions have no user pool to name. */
const users = /* @__PURE__ */ new UserDirectory(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME'));

/** Deployed stages deliver to public https addresses only; the local runtime also to loopback, where tests listen. */
const rules = /* @__PURE__ */ (() => (optionalEnv(ENV.stage) === 'local' ? LOCAL_RULES : AWS_RULES))();

export const webhookDeps: WebhookDeps = {
  webhooks: /* @__PURE__ */ new WebhookRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
  rules,
  send: (attempt) => sendSignedAttempt(attempt, rules),
  random: Math.random,
};

export const webhookReplayDeps: WebhookReplayDeps = { webhooks: webhookDeps.webhooks, replays: eventArchiveReplays };

/** Only the mailer holds the SES client. */
export const webhookDisabledMailDeps: WebhookDisabledMailDeps = {
  webhooks: webhookDeps.webhooks,
  directory: (tenantId) => users.all(tenantId),
  mailer: /* @__PURE__ */ stageMail(),
  once: /* @__PURE__ */ new OnceStore(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
};
