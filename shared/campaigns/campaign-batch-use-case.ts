import { type BulkEntry, type BulkResult, type SesMail, SesThrottled } from '../aws/ses-mail';
import { clock } from '../clock';
import type { Customer } from '../customers/customer';
import { logInfo } from '../log';
import type { Campaign } from './campaign';
import { type AbVariantName, variantTemplateKey } from './campaign-ab-test';
import { skipReason } from './campaign-audience';
import type { CampaignRecipientFacts, RecipientCheck } from './campaign-recipient-repository';
import type { CampaignRepository, RecipientChange } from './campaign-repository';
import type { CampaignRun } from './campaign-run-use-cases';
import type { FrequencyCapRepository } from '../consent/frequency-cap-repository';
import type { MarketingSettingsRepository } from '../consent/marketing-settings-repository';
import { offerLockUntil } from '../consent/offer-lock';
import type { OfferLockRepository } from '../consent/offer-lock-repository';
import type { SendRateLimiter } from './send-rate-repository';
import { leadTemplateData, templateData } from '../templates/template-placeholders';
import { signUnsubscribeToken, unsubscribeHeaders } from '../consent/unsubscribe-token';
import { contactCapHolder } from '../keys';
import type { SegmentAudience } from '../segments/segment-definition';

export interface BatchSenderDeps {
  campaigns: CampaignRepository;
  facts: Pick<CampaignRecipientFacts, 'check' | 'checkLeads' | 'checkContacts' | 'liveAmong'>;
  settings: Pick<MarketingSettingsRepository, 'get'>;
  frequency: Pick<FrequencyCapRepository, 'reserveMarketingSend' | 'releaseMarketingSend'>;
  /** The leads' own caps, for a campaign mailing a leads segment. */
  leadFrequency: Pick<FrequencyCapRepository, 'reserveMarketingSend' | 'releaseMarketingSend'>;
  /** The contacts' own caps, for a campaign mailing a contacts segment: keyed by `contactCapHolder`. */
  contactFrequency: Pick<FrequencyCapRepository, 'reserveMarketingSend' | 'releaseMarketingSend'>;
  offers: Pick<OfferLockRepository, 'acquireOfferLock' | 'releaseOfferLock'>;
  limiter: Pick<SendRateLimiter, 'acquire'>;
  mailer: Pick<SesMail, 'sendBulk'>;
  sesTemplateName: (tenantId: string, campaignId: string) => string;
  unsubscribeSecret: () => Promise<string>;
  apiBaseUrl: string;
}

/** Retried by the flow with backoff (SES throttling, a lost race on a recipient): nothing was sent. */
export class CampaignBatchRetryable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CampaignBatchRetryable';
  }
}

export type BatchOutcome =
  | { action: 'stop'; reason: string }
  | { action: 'sent'; sent: number; failed: number; skipped: number; unknown: number; alreadyDone: number };

/** One batch of a run: its recipients and, in an A/B test, the variant they get. */
export type BatchRun = CampaignRun & { customerIds: string[]; variant: AbVariantName | null };

/** The frequency cap's send id of a campaign: one reservation per customer per campaign, however often retried. */
const capSendId = (campaignId: string) => `campaign#${campaignId}`;

/**
 * Sends one batch (≤ 50 recipients) of a campaign run, never mailing a recipient twice:
 * 1. recipients still `queued` are re-checked (consent, suppression, address) and the frequency
 *    cap is reserved; skipped ones are settled, the rest claimed as `sending` with this attempt's
 *    id, in one transaction;
 * 2. the rate limiter admits the send into a second with room; one SendBulkEmail goes out;
 * 3. every claimed recipient is settled `sent` (message id) or `failed`, with the stats.
 * A retry of the same batch finds its claimed recipients still `sending` only if it died between
 * 2 and 3: whether SES took them is unknown, so they are settled `failed` (outcome unknown),
 * never sent again. SES throttling happens before anything is sent: claims go back to `queued`
 * and the flow retries the batch with backoff.
 */
export async function sendCampaignBatch(deps: BatchSenderDeps, run: BatchRun): Promise<BatchOutcome> {
  const campaign = await deps.campaigns.get(run.tenantId, run.campaignId, true);
  if (!campaign || campaign.runId !== run.runId || campaign.status !== 'sending') return { action: 'stop', reason: campaign ? campaign.status : 'campaign-gone' };
  const attempt = `${run.runId}#${run.customerIds[0]}`;
  const recipients = await deps.campaigns.recipients(run.tenantId, run.campaignId, run.customerIds);

  // A previous attempt of this batch died after claiming: its outcome is unknown, so no resend.
  const orphaned = recipients.filter((r) => r.status === 'sending' && r.attempt === attempt);
  if (orphaned.length) {
    await settle(deps, run, orphaned.map((r) => ({ customerId: r.customerId, from: 'sending', attempt, to: 'failed', set: { error: 'outcome-unknown', settledAt: clock.nowIso() } })));
  }
  const queued = recipients.filter((r) => r.status === 'queued').map((r) => r.customerId);
  const alreadyDone = run.customerIds.length - queued.length - orphaned.length;
  if (!queued.length) return { action: 'sent', sent: 0, failed: 0, skipped: 0, unknown: orphaned.length, alreadyDone };

  const nowIso = clock.nowIso();
  const members = campaign.audience?.members ?? 'customers';
  // A contact's record names its company: where its item and its cap live.
  const companyOf = new Map(recipients.filter((r) => r.companyId).map((r) => [r.customerId, r.companyId!]));
  const caps = capsOf(deps, campaign, companyOf);
  const checks = await checksOf(deps, run.tenantId, members, queued, campaign.topic, companyOf);
  const settings = await deps.settings.get(run.tenantId);
  const cap = settings.frequencyCap;
  const changes: RecipientChange[] = [];
  const sendable: string[] = [];
  // Customers are independent: their cap reservations run side by side.
  const decisions = await Promise.all(
    queued.map(async (customerId) => {
      const reason = skipReason(checks.get(customerId)!.facts);
      if (reason) return { customerId, to: reason };
      const reservation = await caps.repository.reserveMarketingSend(run.tenantId, caps.holder(customerId), capSendId(run.campaignId), nowIso, cap);
      if (!reservation.reserved) return { customerId, to: 'capped' as const };
      if (!campaign.offer) return { customerId, to: 'sending' as const };
      // Another offer's live lock: this customer is not offered a second, conflicting deal now.
      const lock = await deps.offers.acquireOfferLock(run.tenantId, customerId, campaign.offer, offerLockUntil(nowIso, settings.offerLockDays), nowIso);
      if (lock.acquired) return { customerId, to: 'sending' as const };
      await caps.repository.releaseMarketingSend(run.tenantId, caps.holder(customerId), capSendId(run.campaignId));
      return { customerId, to: 'offer-locked' as const };
    }),
  );
  for (const { customerId, to } of decisions) {
    changes.push({ customerId, from: 'queued', to, set: to === 'sending' ? { attempt } : { settledAt: nowIso } });
    if (to === 'sending') sendable.push(customerId);
  }
  if (!(await deps.campaigns.moveRecipients(run.tenantId, run.campaignId, changes))) {
    // Another attempt moved one of them meanwhile; give back the slots and decide again.
    await releaseCaps(deps, run, sendable, campaign, caps);
    throw new CampaignBatchRetryable('A recipient of the batch changed while it was being claimed');
  }
  const skipped = changes.length - sendable.length;
  if (!sendable.length) return { action: 'sent', sent: 0, failed: 0, skipped, unknown: orphaned.length, alreadyDone };

  const entries = await Promise.all(sendable.map((customerId) => entry(deps, campaign, customerId, checks.get(customerId)!, nowIso)));
  let results: BulkResult[];
  let mailed = sendable;
  try {
    // Waiting for room in the rate can take seconds: a pause or cancel meanwhile stops this batch
    // too, and a customer erased (or merged away) meanwhile is not mailed. The limiter asks before
    // its last check of the second, so the reads cannot make the SES call late for its second.
    let stoppedAs: string | undefined;
    const stillSending = async () => {
      const now = await deps.campaigns.get(run.tenantId, run.campaignId, true);
      if (!(now && now.runId === run.runId && now.status === 'sending')) {
        stoppedAs = now ? now.status : 'campaign-gone';
        return false;
      }
      const live = await deps.facts.liveAmong(run.tenantId, sendable, members, companyOf);
      mailed = sendable.filter((id) => live.has(id));
      return mailed.length > 0;
    };
    const admitted = await deps.limiter.acquire(sendable.length, { tenantId: run.tenantId, campaignId: run.campaignId, ratePerSecond: campaign.ratePerSecond }, stillSending);
    const gone = sendable.filter((id) => !mailed.includes(id));
    if (gone.length) {
      // Erased or merged while the batch waited: settled as unreachable, never mailed.
      await settle(deps, run, gone.map((customerId) => ({ customerId, from: 'sending', attempt, to: 'no-address', set: { settledAt: clock.nowIso() } })));
      await releaseCaps(deps, run, gone, campaign, caps);
    }
    if (!admitted) {
      if (!stoppedAs) return { action: 'sent', sent: 0, failed: 0, skipped: skipped + gone.length, unknown: orphaned.length, alreadyDone };
      await settle(deps, run, mailed.map((customerId) => ({ customerId, from: 'sending', attempt, to: 'queued' })));
      await releaseCaps(deps, run, mailed, campaign, caps);
      return { action: 'stop', reason: stoppedAs };
    }
    results = await deps.mailer.sendBulk({
      templateName: deps.sesTemplateName(run.tenantId, variantTemplateKey(run.campaignId, run.variant)),
      // Tags shared by the whole batch; each entry adds its customer (SES merges the two).
      tags: { tenantId: run.tenantId, campaignId: run.campaignId, topic: campaign.topic, ...(run.variant ? { variant: run.variant } : {}) },
      entries: entries.filter((_, i) => mailed.includes(sendable[i]!)),
    });
  } catch (error) {
    if (!(error instanceof SesThrottled) && !sesRefused(error)) {
      // No answer from SES (network, timeout, 5xx): it may have sent. The claims stay `sending`;
      // the flow's retry of this batch settles them as outcome-unknown and mails nobody again.
      throw error;
    }
    if (!(error instanceof SesThrottled)) {
      // SES refused the call outright (4xx: a bad template...): nothing went out; the claims fail visibly.
      const message = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'send failed';
      await settle(deps, run, mailed.map((customerId) => ({ customerId, from: 'sending', attempt, to: 'failed', set: { error: message, settledAt: clock.nowIso() } })));
      await releaseCaps(deps, run, mailed, campaign, caps);
      logInfo('campaign batch refused by SES', { campaignId: run.campaignId, error: message });
      return { action: 'sent', sent: 0, failed: mailed.length, skipped: skipped + sendable.length - mailed.length, unknown: orphaned.length, alreadyDone };
    }
    await settle(deps, run, mailed.map((customerId) => ({ customerId, from: 'sending', attempt, to: 'queued' })));
    await releaseCaps(deps, run, mailed, campaign, caps);
    throw new CampaignBatchRetryable(error.message);
  }

  const sentAt = clock.nowIso();
  const settled = mailed.map((customerId, i): RecipientChange => {
    const r = results[i]!;
    const set: Record<string, string> = r.status === 'sent' ? { messageId: r.messageId, sentAt, settledAt: sentAt } : { error: r.error.slice(0, 300), settledAt: sentAt };
    return { customerId, from: 'sending', attempt, to: r.status, set };
  });
  await settle(deps, run, settled);
  const failedIds = settled.filter((c) => c.to === 'failed').map((c) => c.customerId);
  if (failedIds.length) await releaseCaps(deps, run, failedIds, campaign, caps);
  return { action: 'sent', sent: mailed.length - failedIds.length, failed: failedIds.length, skipped: skipped + sendable.length - mailed.length, unknown: orphaned.length, alreadyDone };
}

/** SES answered the call with a client error: it was refused as a whole, so nothing was sent. */
function sesRefused(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}

async function settle(deps: BatchSenderDeps, run: BatchRun, changes: RecipientChange[]): Promise<void> {
  // Only this attempt moves its claimed recipients, so a failed condition means a bug or a retry
  // racing itself; either way the recipients stay `sending` and are never mailed again.
  if (!(await deps.campaigns.moveRecipients(run.tenantId, run.campaignId, changes, run.variant))) {
    logInfo('campaign batch could not settle its recipients', { campaignId: run.campaignId, count: changes.length });
  }
}

/** The caps a campaign's recipients keep, and whose cap a recipient id names there. */
interface Caps {
  repository: BatchSenderDeps['frequency'];
  holder: (recipientId: string) => string;
}

/** Customers' caps, or for a leads campaign the leads', for a contacts campaign the contacts' (each in its company's partition). */
function capsOf(deps: BatchSenderDeps, campaign: Campaign, companyOf: ReadonlyMap<string, string>): Caps {
  const members = campaign.audience?.members;
  if (members === 'contacts') return { repository: deps.contactFrequency, holder: (id) => contactCapHolder(companyOf.get(id) ?? '', id) };
  return { repository: members === 'leads' ? deps.leadFrequency : deps.frequency, holder: (id) => id };
}

/** The facts of the batch's queued recipients, as their audience has them. */
function checksOf(deps: BatchSenderDeps, tenantId: string, members: SegmentAudience, ids: string[], topic: string, companyOf: ReadonlyMap<string, string>) {
  if (members === 'leads') return deps.facts.checkLeads(tenantId, ids, topic, {});
  if (members === 'contacts') return deps.facts.checkContacts(tenantId, ids.map((id) => ({ id, companyId: companyOf.get(id) ?? '' })), topic, {});
  return deps.facts.check(tenantId, ids, topic, {});
}

/** Gives back what a recipient that was not mailed took: its cap slot and, for an offer, its offer lock. */
async function releaseCaps(deps: BatchSenderDeps, run: CampaignRun, customerIds: readonly string[], campaign: Campaign, caps: Caps): Promise<void> {
  await Promise.all(
    customerIds.map(async (c) => {
      await caps.repository.releaseMarketingSend(run.tenantId, caps.holder(c), capSendId(run.campaignId));
      if (campaign.offer) await deps.offers.releaseOfferLock(run.tenantId, c, campaign.offer);
    }),
  );
}

async function entry(deps: BatchSenderDeps, campaign: Campaign, recipientId: string, check: RecipientCheck, issuedAt: string): Promise<BulkEntry> {
  const { lead, contact } = check;
  const base = { tenantId: campaign.tenantId, topic: campaign.topic, issuedAt, campaignId: campaign.id };
  // A contact's link names its company and itself: the opt-out is the contact's own consent.
  const claims = contact ? { ...base, customerId: contact.customerId, contactId: recipientId } : { ...base, customerId: recipientId, ...(lead ? { leadId: recipientId } : {}) };
  const link = unsubscribeHeaders(deps.apiBaseUrl, signUnsubscribeToken(claims, await deps.unsubscribeSecret()));
  if (contact) {
    // The contact's address and fields, its company's for `customer.*`; SES events land on the company's timeline with the contact.
    const data = templateData(campaign.placeholders ?? [], check.customer!, contact, link.url);
    return { to: contact.emails[0]!, data, headers: link.headers, tags: { customerId: contact.customerId, contactId: recipientId, recipientId } };
  }
  if (lead) {
    // A lead's mail: its own address and fields; SES events find it by the `lead` tag.
    return { to: lead.email!, data: leadTemplateData(campaign.placeholders ?? [], lead, link.url), headers: link.headers, tags: { leadId: recipientId, recipientId } };
  }
  const customer: Customer = check.customer!;
  return { to: customer.emails[0]!, data: templateData(campaign.placeholders ?? [], customer, null, link.url), headers: link.headers, tags: { customerId: recipientId, recipientId } };
}
