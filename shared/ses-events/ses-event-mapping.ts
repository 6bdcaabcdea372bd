import { SES_DETAIL_TYPES, type SesEventDetail, type SesEventKind } from '../../events/ses/ses-email-event';
import { normalizeEmail } from '../customers/contact-points';
import { attributionFromTags, type MessageAttribution } from './ses-message-tags';
import type { SuppressionReason } from '../consent/suppression';

/**
 * What one SES event means for the CRM (pure): whom it concerns (the message tags), what to note
 * on the timeline, and which addresses to suppress. Hard bounces (bounceType `Permanent`) and
 * complaints suppress the recipients SES names; soft bounces (`Transient`, `Undetermined`) only
 * note, since the address may work tomorrow.
 */
export interface SesEventOutcome {
  kind: SesEventKind;
  /** At most one timeline entry per message and key: the kind, a bounce also by hard or soft. */
  timelineKey: string;
  messageId: string;
  attribution: MessageAttribution;
  occurredAt: string;
  suppress?: { reason: Exclude<SuppressionReason, 'manual'>; addresses: string[] };
  timeline: { subject: string; payload: Record<string, unknown> };
}

export type SesEventMapping = { outcome: SesEventOutcome } | { ignored: 'untagged' | 'unhandled-type' };

const KIND_BY_DETAIL_TYPE = new Map(Object.entries(SES_DETAIL_TYPES).map(([kind, detailType]) => [detailType as string, kind as SesEventKind]));

export function mapSesEvent(detailType: string, detail: SesEventDetail, eventTime: string): SesEventMapping {
  const kind = KIND_BY_DETAIL_TYPE.get(detailType);
  if (!kind) return { ignored: 'unhandled-type' };
  const attribution = attributionFromTags(detail.mail.tags);
  if (!attribution) return { ignored: 'untagged' };
  const base = { kind, timelineKey: kind as string, messageId: detail.mail.messageId, attribution };
  const campaign = attribution.campaignId ? { campaignId: attribution.campaignId } : {};
  switch (kind) {
    case 'bounce': {
      const b = detail.bounce;
      const hard = b?.bounceType === 'Permanent';
      return {
        outcome: {
          ...base,
          // A soft bounce may be followed by the hard one for the same message: both belong on the timeline.
          timelineKey: hard ? 'bounce-hard' : 'bounce-soft',
          occurredAt: iso(b?.timestamp, eventTime),
          ...(hard ? { suppress: { reason: 'hard-bounce' as const, addresses: recipients(b?.bouncedRecipients, detail) } } : {}),
          timeline: {
            subject: hard ? 'Email bounced (permanent): address suppressed' : 'Email bounced (temporary)',
            payload: { event: 'bounce', messageId: base.messageId, bounceType: b?.bounceType ?? null, bounceSubType: b?.bounceSubType ?? null, ...campaign },
          },
        },
      };
    }
    case 'complaint': {
      const c = detail.complaint;
      return {
        outcome: {
          ...base,
          occurredAt: iso(c?.timestamp, eventTime),
          suppress: { reason: 'complaint', addresses: recipients(c?.complainedRecipients, detail) },
          timeline: {
            subject: 'Email marked as spam: address suppressed',
            payload: { event: 'complaint', messageId: base.messageId, feedbackType: c?.complaintFeedbackType ?? null, ...campaign },
          },
        },
      };
    }
    case 'delivery':
      return { outcome: { ...base, occurredAt: iso(detail.delivery?.timestamp, eventTime), timeline: { subject: 'Email delivered', payload: { event: 'delivery', messageId: base.messageId, ...campaign } } } };
    case 'open':
      return { outcome: { ...base, occurredAt: iso(detail.open?.timestamp, eventTime), timeline: { subject: 'Email opened', payload: { event: 'open', messageId: base.messageId, ...campaign } } } };
    case 'click':
      return {
        outcome: {
          ...base,
          occurredAt: iso(detail.click?.timestamp, eventTime),
          timeline: { subject: 'Email link clicked', payload: { event: 'click', messageId: base.messageId, link: detail.click?.link ?? null, ...campaign } },
        },
      };
  }
}

/** The recipients SES names, else the mail's destination (one recipient per campaign mail). */
function recipients(list: { emailAddress: string }[] | undefined, detail: SesEventDetail): string[] {
  const addresses = list?.length ? list.map((r) => r.emailAddress) : detail.mail.destination;
  return [...new Set(addresses.map(bareAddress).map(normalizeEmail))];
}

/** `"Ada" <ada@example.com>` -> `ada@example.com`. */
function bareAddress(value: string): string {
  const match = /<([^>]+)>\s*$/.exec(value);
  return (match ? match[1]! : value).trim();
}

function iso(value: string | undefined, fallback: string): string {
  const ms = Date.parse(value ?? '');
  return new Date(Number.isNaN(ms) ? Date.parse(fallback) : ms).toISOString();
}
