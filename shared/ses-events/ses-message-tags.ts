/**
 * The SES message tags the CRM puts on every mail whose outcome it wants back (docs/marketing.md,
 * "SES events"); the welcome mail already sets `tenant` and `customer`. SES returns them on each
 * event in `mail.tags`; mails without `tenant` and `customer` are not ours to attribute and are
 * ignored. Tag values allow only [A-Za-z0-9_-], which ids and topics satisfy.
 */
export const MESSAGE_TAGS = {
  tenant: 'tenant',
  customer: 'customer',
  /** The contact at a company customer the mail went to. */
  contact: 'contact',
  /** Set by the campaign flow: which campaign and which recipient item (stats, recipient status). */
  campaign: 'campaign',
  recipient: 'recipient',
  /** The consent topic the mail was sent under (`marketing`...). */
  topic: 'topic',
} as const;

export interface MessageAttribution {
  tenantId: string;
  customerId: string;
  contactId?: string;
  campaignId?: string;
  recipientId?: string;
  topic?: string;
}

/** The tags for SendEmail's EmailTags (and SendBulkEmail's DefaultEmailTags / ReplacementEmailTags). */
export function messageTags(a: MessageAttribution): { Name: string; Value: string }[] {
  const entries: [string, string | undefined][] = [
    [MESSAGE_TAGS.tenant, a.tenantId],
    [MESSAGE_TAGS.customer, a.customerId],
    [MESSAGE_TAGS.contact, a.contactId],
    [MESSAGE_TAGS.campaign, a.campaignId],
    [MESSAGE_TAGS.recipient, a.recipientId],
    [MESSAGE_TAGS.topic, a.topic],
  ];
  return entries.filter((e): e is [string, string] => e[1] !== undefined).map(([Name, Value]) => ({ Name, Value }));
}

/** The attribution of an SES event's `mail.tags`, or undefined when the mail was not tagged by us. */
export function attributionFromTags(tags: Record<string, string[]> | undefined): MessageAttribution | undefined {
  const one = (name: string) => tags?.[name]?.[0];
  const tenantId = one(MESSAGE_TAGS.tenant);
  const customerId = one(MESSAGE_TAGS.customer);
  if (!tenantId || !customerId) return undefined;
  const optional = { contactId: one(MESSAGE_TAGS.contact), campaignId: one(MESSAGE_TAGS.campaign), recipientId: one(MESSAGE_TAGS.recipient), topic: one(MESSAGE_TAGS.topic) };
  return { tenantId, customerId, ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
}
