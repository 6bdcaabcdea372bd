// Built once per container, at module load (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv, optionalEnv, ENV } from '../runtime-env';
import { AWS_RULES, LOCAL_RULES } from './webhook-address';
import { WebhookRepository } from './webhook-repository';
import { sendSignedAttempt } from './webhook-sender';
import type { WebhookDeps } from './webhook-use-cases';

/** Deployed stages deliver to public https addresses only; the local runtime also to loopback, where tests listen. */
const rules = /* @__PURE__ */ (() => (optionalEnv(ENV.stage) === 'local' ? LOCAL_RULES : AWS_RULES))();

export const webhookDeps: WebhookDeps = {
  webhooks: /* @__PURE__ */ new WebhookRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
  rules,
  send: (attempt) => sendSignedAttempt(attempt, rules),
  random: Math.random,
};
