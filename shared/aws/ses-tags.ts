/**
 * The SES message tags the CRM puts on its mail, as one record. SES returns them on every event of
 * the mail (`mail.tags`), which is how deliveries, bounces, opens and clicks are attributed
 * (docs/marketing.md, "SES events"). Each field is one tag; absent fields are not sent.
 */
export interface MessageTags {
  tenantId?: string;
  customerId?: string;
  /** The contact at a company customer the mail went to. */
  contactId?: string;
  /** The lead the mail went to (a leads campaign): its opens and clicks become lead signals. */
  leadId?: string;
  /** Set by the campaign flow: which campaign and which recipient item (stats, recipient status). */
  campaignId?: string;
  recipientId?: string;
  /** The A/B variant of the campaign the mail is (its per-variant stats). */
  variant?: string;
  /** Set by an automation's send: which automation and which domain event (its send record, for the automation's stats). */
  automationId?: string;
  eventId?: string;
  /** The consent topic the mail was sent under (`marketing`...). */
  topic?: string;
  /** Which system mail it is (`welcome-email`, `reclaim-digest`): for whoever reads the events, not attribution. */
  kind?: string;
}

/** Each field's tag name, in the order the tags go on the wire. */
export const MESSAGE_TAG_NAMES = {
  tenantId: 'tenant',
  customerId: 'customer',
  contactId: 'contact',
  leadId: 'lead',
  campaignId: 'campaign',
  recipientId: 'recipient',
  variant: 'variant',
  automationId: 'automation',
  eventId: 'event',
  topic: 'topic',
  kind: 'kind',
} as const satisfies Record<keyof MessageTags, string>;

export type SesTag = { Name: string; Value: string };

/** The record as SES tags (SendEmail's EmailTags, SendBulkEmail's DefaultEmailTags and ReplacementTags). */
export function sesTags(tags: MessageTags): SesTag[] {
  return (Object.keys(MESSAGE_TAG_NAMES) as (keyof MessageTags)[])
    .filter((field) => tags[field] !== undefined)
    .map((field) => ({ Name: MESSAGE_TAG_NAMES[field], Value: tagValue(tags[field]!) }));
}

/**
 * SES refuses the whole send for a tag value outside [A-Za-z0-9_-] or over 256 characters. Ids and
 * topics are within it; anything else is made to fit rather than cost the mail.
 */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
}
