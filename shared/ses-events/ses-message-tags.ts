import { MESSAGE_TAG_NAMES, type MessageTags } from '../aws/ses-tags';

/**
 * Which mail an SES event is about, from the message tags the sender put on it (`MessageTags` in
 * shared/aws/ses-tags.ts; docs/marketing.md, "SES events"). Mails without `tenant` and `customer`
 * are not ours to attribute and are ignored.
 */
export type MessageAttribution = Omit<MessageTags, 'kind'> & ({ tenantId: string; customerId: string; leadId?: undefined } | { tenantId: string; customerId?: undefined; leadId: string });

/**
 * The attribution of an SES event's `mail.tags`, or undefined when the mail was not tagged by us:
 * a customer's mail (`customer`), or a lead's (`lead`, a leads campaign), never both.
 */
export function attributionFromTags(tags: Record<string, string[]> | undefined): MessageAttribution | undefined {
  const one = (name: string) => tags?.[name]?.[0];
  const tenantId = one(MESSAGE_TAG_NAMES.tenantId);
  const customerId = one(MESSAGE_TAG_NAMES.customerId);
  const leadId = one(MESSAGE_TAG_NAMES.leadId);
  if (!tenantId || (!customerId && !leadId)) return undefined;
  const whose = customerId ? { tenantId, customerId } : { tenantId, leadId: leadId! };
  const optional = {
    contactId: one(MESSAGE_TAG_NAMES.contactId),
    campaignId: one(MESSAGE_TAG_NAMES.campaignId),
    recipientId: one(MESSAGE_TAG_NAMES.recipientId),
    variant: one(MESSAGE_TAG_NAMES.variant),
    automationId: one(MESSAGE_TAG_NAMES.automationId),
    eventId: one(MESSAGE_TAG_NAMES.eventId),
    topic: one(MESSAGE_TAG_NAMES.topic),
  };
  return { ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)), ...whose } as MessageAttribution;
}
