import type { SesEventKind } from '../../events/ses/ses-email-event';
import type { AutomationEngagementAttribute } from '../automations/automation-stats';
import type { AutomationMailRef } from '../automations/automation-stats-repository';
import { recipientOfClaims } from '../consent/marketing-recipient';
import { ENGAGEMENT_ATTRIBUTE_OF_SES_EVENT } from './campaign-engagement';
import type { MessageAttribution } from './ses-message-tags';

/** Ids as the automation sender tags them (automationMailIds): anything else is not ours. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The automation send an SES event reports on, and what it stamps; undefined for a mail no automation sent. */
export function automationEngagement(kind: SesEventKind, attribution: MessageAttribution): { mail: AutomationMailRef; attribute: AutomationEngagementAttribute } | undefined {
  const { tenantId, automationId, eventId } = attribution;
  if (!automationId || !eventId || !ID.test(automationId) || !ID.test(eventId)) return undefined;
  // The tags name the customer or the lead the automation mailed (its send record's partition).
  return { mail: { tenantId, recipient: recipientOfClaims(attribution), automationId, eventId }, attribute: ENGAGEMENT_ATTRIBUTE_OF_SES_EVENT[kind] };
}
