import { busEventSchema } from '../../events/envelope';
import { webhookDisabledV1 } from '../../events/webhooks/webhook-disabled.v1';
import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import { escapeHtml } from '../html';
import type { OnceStore } from '../idempotency/once-store';
import { keys } from '../keys';
import type { DirectoryUser } from '../users/user';
import type { Webhook } from './webhook';

/** The side effect's name; its markers (`$DONE#webhook-disabled#<eventId>#<userId>`) sit in the tenant's webhooks partition. */
export const WEBHOOK_DISABLED_EFFECT = 'webhook-disabled';

export interface WebhookDisabledMailDeps {
  webhooks: { get(tenantId: string, webhookId: string): Promise<Webhook | undefined> };
  directory: (tenantId: string) => Promise<DirectoryUser[]>;
  mailer: Pick<SesMail, 'sendSimple'>;
  once: Pick<OnceStore, 'claim' | 'release' | 'complete'>;
}

export type WebhookDisabledMailResult = { status: 'sent'; to: string[] } | { status: 'already-sent' | 'no-admin' | 'webhook-gone' };

/** Who hears of it: the tenant's active admins, and whoever created the webhook if they are still active. */
export function recipientsOf(users: readonly DirectoryUser[], webhook: Pick<Webhook, 'createdBy'>): Pick<DirectoryUser, 'userId' | 'email'>[] {
  return users.filter((u) => u.status === 'active' && u.email && (u.groups.includes('admin') || u.userId === webhook.createdBy)).sort((a, b) => a.userId.localeCompare(b.userId));
}

/**
 * Rule target on `crm.webhook.disabled.v1`: one mail to the tenant's admins, once however often the
 * event comes: which URL, since when it failed, and that it waits to be switched on again.
 */
export async function mailWebhookDisabled(deps: WebhookDisabledMailDeps, event: unknown): Promise<WebhookDisabledMailResult> {
  const detail = webhookDisabledV1.schema.parse(busEventSchema.parse(event).detail);
  const { tenantId } = detail;
  const [webhook, users] = await Promise.all([deps.webhooks.get(tenantId, detail.data.webhookId), deps.directory(tenantId)]);
  if (!webhook) return { status: 'webhook-gone' };
  const to = recipientsOf(users, webhook);
  if (to.length === 0) return { status: 'no-admin' };
  const partition = keys.webhooks(tenantId).PK;
  const text = [
    `The webhook to ${webhook.url} was switched off: every delivery failed since ${detail.data.failingSince}${detail.data.lastStatusCode ? ` (last answer: HTTP ${detail.data.lastStatusCode})` : ''}.`,
    '',
    'Its deliveries are kept in its log (GET /webhooks/{id}/deliveries). Fix the receiver, switch the webhook on again (PATCH enabled: true) and send the failed deliveries again.',
  ].join('\n');
  const mailed: string[] = [];
  // One marker per recipient: a retry after one address failed mails only those not mailed yet.
  for (const { userId, email: address } of to) {
    const effect = `${WEBHOOK_DISABLED_EFFECT}#${detail.id}#${userId}`;
    if (!(await deps.once.claim(partition, effect, clock.nowIso()))) continue;
    let sent: { messageId: string };
    try {
      sent = await deps.mailer.sendSimple({
        to: address,
        subject: `A webhook was switched off: ${webhook.url}`.slice(0, 200),
        text,
        html: text.split('\n').map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
        tags: { tenantId, kind: WEBHOOK_DISABLED_EFFECT },
      });
    } catch (error) {
      await deps.once.release(partition, effect);
      throw error;
    }
    await deps.once.complete(partition, effect, { messageId: sent.messageId }, []);
    mailed.push(address);
  }
  return mailed.length ? { status: 'sent', to: mailed } : { status: 'already-sent' };
}
