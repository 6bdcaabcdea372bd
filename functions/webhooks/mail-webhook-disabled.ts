import { eventHandler } from '../../shared/log-context';
import { mailWebhookDisabled } from '../../shared/webhooks/webhook-disabled-mail-use-case';
import { webhookDisabledMailDeps } from '../../shared/webhooks/wiring';

/** On crm.webhook.disabled.v1: the tenant's admins hear of it, once each. */
export const handler = eventHandler(async (event: unknown) => mailWebhookDisabled(webhookDisabledMailDeps, event));
