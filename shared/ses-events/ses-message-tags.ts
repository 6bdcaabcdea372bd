import { MESSAGE_TAG_NAMES, type MessageTags } from '../aws/ses-tags';

/**
 * Which mail an SES event is about, from the message tags the sender put on it (`MessageTags` in
 * shared/aws/ses-tags.ts; docs/marketing.md, "SES events"). Mails without `tenant` and `customer`
 * are not ours to attribute and are ignored.
 */
export type MessageAttribution = Omit<MessageTags, 'kind'> & { tenantId: string; customerId: string };

/** The attribution of an SES event's `mail.tags`, or undefined when the mail was not tagged by us. */
export function attributionFromTags(tags: Record<string, string[]> | undefined): MessageAttribution | undefined {
  const one = (name: string) => tags?.[name]?.[0];
  const tenantId = one(MESSAGE_TAG_NAMES.tenantId);
  const customerId = one(MESSAGE_TAG_NAMES.customerId);
  if (!tenantId || !customerId) return undefined;
  const optional = {
    contactId: one(MESSAGE_TAG_NAMES.contactId),
    campaignId: one(MESSAGE_TAG_NAMES.campaignId),
    recipientId: one(MESSAGE_TAG_NAMES.recipientId),
    variant: one(MESSAGE_TAG_NAMES.variant),
    automationId: one(MESSAGE_TAG_NAMES.automationId),
    eventId: one(MESSAGE_TAG_NAMES.eventId),
    topic: one(MESSAGE_TAG_NAMES.topic),
  };
  return { tenantId, customerId, ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
}
