import { sesBusEvent, type SesEventKind } from '../../events/ses/ses-email-event';
import type { Activity } from '../activities/activity';
import { clock } from '../clock';
import { newId } from '../ids';
import { logInfo } from '../log';
import { campaignEngagement } from './campaign-engagement';
import { automationEngagement } from './automation-engagement';
import type { AutomationEngagementWrite, AutomationStatsRepository } from '../automations/automation-stats-repository';
import type { CampaignEngagementRepository, EngagementWrite } from './campaign-engagement-repository';
import type { SesEventRepository, TimelineWrite } from './ses-event-repository';
import { mapSesEvent } from './ses-event-mapping';
import type { MessageAttribution } from './ses-message-tags';
import { addressHash, type Suppression } from '../consent/suppression';
import type { SuppressionRepository } from '../consent/suppression-repository';

/** What a lead's mail does to the lead: its first open and first click are scoring signals. */
export interface LeadMailSignals {
  record(tenantId: string, leadId: string, type: 'email-opened' | 'email-clicked', occurredAt: string, correlationId: string): Promise<void>;
}

export interface SesEventDeps {
  suppressions: Pick<SuppressionRepository, 'add'>;
  timeline: Pick<SesEventRepository, 'recordOnce'>;
  leadSignals: LeadMailSignals;
  engagement: Pick<CampaignEngagementRepository, 'record'>;
  automationStats: Pick<AutomationStatsRepository, 'recordEngagement'>;
}

/**
 * What one SES event changed. `campaign` is null for a mail that no campaign sent, else whether
 * the recipient's stamp and the campaign's stat were written now (`counted`), were already there
 * (`duplicate`), or had no recipient item to go on (`unknown-recipient`).
 */
export type SesEventResult =
  | {
      recorded: true;
      kind: SesEventKind;
      messageId: string;
      attribution: MessageAttribution;
      suppressed: string[];
      /** A lead's mail has no timeline (`not-a-customer`); its opens and clicks are lead signals. */
      timeline: TimelineWrite | 'not-a-customer';
      campaign: EngagementWrite | null;
      /** Like `campaign`, for a mail an automation sent. */
      automation: AutomationEngagementWrite | null;
    }
  | { recorded: false; ignored: 'malformed' | 'untagged' | 'unhandled-type' };

const ACTOR = { type: 'system', id: 'ses' } as const;

export async function handleSesEvent(deps: SesEventDeps, event: unknown): Promise<SesEventResult> {
  const parsed = sesBusEvent.safeParse(event);
  if (!parsed.success) return ignored('malformed', event);
  const mapping = mapSesEvent(parsed.data['detail-type'], parsed.data.detail, parsed.data.time);
  if ('ignored' in mapping) return ignored(mapping.ignored, event);
  const { outcome } = mapping;
  const { tenantId, customerId, contactId, leadId } = outcome.attribution;
  const nowIso = clock.nowIso();

  const suppressed: string[] = [];
  for (const address of outcome.suppress?.addresses ?? []) {
    const entry: Suppression = { addressHash: addressHash(address), email: address, reason: outcome.suppress!.reason, at: outcome.occurredAt, messageId: outcome.messageId, addedBy: null, note: null };
    await deps.suppressions.add(tenantId, entry);
    suppressed.push(address);
  }
  const timeline = customerId ? await deps.timeline.recordOnce(tenantId, outcome.timelineKey, outcome.messageId, emailActivity(outcome, customerId, contactId, nowIso)) : ('not-a-customer' as const);
  // Not skipped on a duplicate timeline entry: a retry after a failed stats write must still count.
  // Nor for an erased customer: the recipient item holds ids only, and the mail was sent all the same.
  const engagement = campaignEngagement(outcome.kind, outcome.attribution);
  const campaign = engagement ? await deps.engagement.record(tenantId, engagement.campaignId, engagement.recipientId, engagement.attribute, outcome.occurredAt, engagement.variant) : null;
  const sent = automationEngagement(outcome.kind, outcome.attribution);
  const automation = sent ? await deps.automationStats.recordEngagement(sent.mail, sent.attribute, outcome.occurredAt) : null;
  // A lead's first open and first click of a campaign's or an automation's mail (the stamp, counted once) score.
  const signal = outcome.kind === 'open' ? 'email-opened' : outcome.kind === 'click' ? 'email-clicked' : null;
  if (leadId && signal && (campaign === 'counted' || automation === 'counted')) await deps.leadSignals.record(tenantId, leadId, signal, outcome.occurredAt, outcome.messageId);
  logInfo('ses event recorded', { kind: outcome.kind, messageId: outcome.messageId, tenantId, suppressed: suppressed.length, timeline, campaign, automation });
  return { recorded: true, kind: outcome.kind, messageId: outcome.messageId, attribution: outcome.attribution, suppressed, timeline, campaign, automation };
}

function emailActivity(outcome: { occurredAt: string; timeline: { subject: string; payload: Record<string, unknown> } }, customerId: string, contactId: string | undefined, nowIso: string): Activity {
  return {
    id: newId(),
    customerId,
    type: 'email-event',
    occurredAt: outcome.occurredAt,
    subject: outcome.timeline.subject,
    body: null,
    payload: { ...outcome.timeline.payload, ...(contactId ? { contactId } : {}) },
    actor: ACTOR,
    loggedAt: nowIso,
  };
}

/** Mail the CRM did not tag (another sender on the account) is counted in the logs, not retried. */
function ignored(reason: 'malformed' | 'untagged' | 'unhandled-type', event: unknown): SesEventResult {
  const e = (event ?? {}) as Record<string, unknown>;
  logInfo('ses event ignored', { reason, detailType: e['detail-type'], eventId: e.id, ignoredSesEvents: 1 });
  return { recorded: false, ignored: reason };
}
