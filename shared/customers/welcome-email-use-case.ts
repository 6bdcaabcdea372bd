import { busEventSchema } from '../../events/envelope';
import { customerCreatedV1 } from '../../events/customer-created.v1';
import { clock } from '../clock';
import type { MarketingSendSkip } from '../consent/marketing-send';
import { type MarketingSendDeps, type MarketingSendResult, sendMarketingEmail } from '../consent/marketing-send-use-case';
import type { WelcomeEmailSettings } from '../consent/marketing-settings-record';
import { newId } from '../ids';
import type { OnceStore } from '../idempotency/once-store';
import { keys } from '../keys';
import { logInfo } from '../log';
import { WELCOME_EMAIL_EFFECT, welcomeEmailActivity, welcomeEmailPlan } from './welcome-email';

export { WELCOME_EMAIL_EFFECT } from './welcome-email';
const EFFECT = WELCOME_EMAIL_EFFECT;

export interface WelcomeEmailDeps {
  send: MarketingSendDeps;
  once: Pick<OnceStore, 'claim' | 'complete' | 'release'>;
}

export type WelcomeResult =
  | { status: 'sent'; messageId: string }
  | { status: 'already-sent' }
  | { status: 'switched-off' }
  | { status: 'capped'; nextAllowedAt: string }
  | { status: Exclude<MarketingSendSkip, 'capped'> };

/**
 * Welcomes a new customer, once per customer however often the event is delivered, as a
 * marketing mail: the tenant's switch and template (the built-in default without one), consent
 * to the tenant's welcome topic, the suppression list, the frequency cap, the one-click
 * unsubscribe link and headers. A sent mail goes on the timeline; a skip is recorded with its
 * reason on the once-marker (`result.outcome`) and logged, and is final: a redelivered event
 * neither mails nor decides again.
 */
export async function sendWelcomeEmail(deps: WelcomeEmailDeps, event: unknown): Promise<WelcomeResult> {
  const detail = customerCreatedV1.schema.parse(busEventSchema.parse(event).detail);
  const { tenantId } = detail;
  const { customerId } = detail.data;
  // No topic granted when the customer was created: no welcome can go, whatever the tenant's
  // settings say, and a redelivery decides the same. So nothing is read or recorded: most customers
  // cost the CRM no more than this invocation (docs/decisions.md, 64).
  if (!Object.values(detail.data.consent).some((granted) => granted)) return { status: 'no-consent' };
  const partition = keys.customerPartition(tenantId, customerId);
  const nowIso = clock.nowIso();
  if (!(await deps.once.claim(partition, EFFECT, nowIso))) return { status: 'already-sent' };

  let settings: WelcomeEmailSettings;
  let sent: MarketingSendResult | undefined;
  try {
    settings = (await deps.send.settings.get(tenantId)).welcomeEmail;
    const plan = welcomeEmailPlan(settings);
    if (!('skip' in plan)) sent = await sendMarketingEmail(deps.send, { tenantId, recipient: { kind: 'customer', id: customerId }, template: plan.template, topic: plan.topic, sendId: EFFECT, tags: { kind: EFFECT }, nowIso });
  } catch (error) {
    // Nothing was mailed (the send gave its frequency slot back): the flow's retry may try again.
    await deps.once.release(partition, EFFECT);
    throw error;
  }

  if (sent?.outcome === 'sent') {
    // Outside the try: the mail is out, so a failed record must not release the claim and mail again.
    const activity = welcomeEmailActivity(customerId, { ...sent, templateId: settings.templateId, topic: settings.topic }, newId(), nowIso);
    await deps.once.complete(partition, EFFECT, { outcome: 'sent', messageId: sent.messageId }, [{ ...keys.activity(tenantId, customerId, nowIso, activity.id), entity: 'Activity', ...activity }]);
    return { status: 'sent', messageId: sent.messageId };
  }
  const result: WelcomeResult = !sent ? { status: 'switched-off' } : sent.outcome === 'capped' ? { status: 'capped', nextAllowedAt: sent.nextAllowedAt } : { status: sent.outcome };
  const { status, ...rest } = result;
  await deps.once.complete(partition, EFFECT, { outcome: status, ...rest }, []);
  logInfo('welcome email skipped', { tenantId, customerId, outcome: status });
  return result;
}
