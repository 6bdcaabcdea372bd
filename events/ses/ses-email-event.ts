import * as z from 'zod/mini';

/**
 * What SES v2 puts on the account's default bus for a configuration set with an EventBridge
 * destination (`source: aws.ses`). Only the fields the CRM reads are modelled; everything else SES
 * sends (headers, commonHeaders, user agents...) passes through untouched (z.object is not strict).
 */
export const SES_EVENT_SOURCE = 'aws.ses';

export const SES_DETAIL_TYPES = {
  delivery: 'Email Delivered',
  bounce: 'Email Bounced',
  complaint: 'Email Complaint Received',
  open: 'Email Opened',
  click: 'Email Clicked',
} as const;
export type SesEventKind = keyof typeof SES_DETAIL_TYPES;

const mail = z.object({
  timestamp: z.string(),
  messageId: z.string(),
  destination: z.array(z.string()),
  /** Message tags as SES reports them: every value is a list. */
  tags: z.optional(z.record(z.string(), z.array(z.string()))),
});

export const sesEventDetail = z.object({
  eventType: z.string(),
  mail,
  bounce: z.optional(
    z.object({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string() })),
      timestamp: z.string(),
    }),
  ),
  complaint: z.optional(
    z.object({
      complainedRecipients: z.array(z.object({ emailAddress: z.string() })),
      timestamp: z.string(),
      complaintFeedbackType: z.optional(z.string()),
    }),
  ),
  delivery: z.optional(z.object({ timestamp: z.string(), recipients: z.optional(z.array(z.string())) })),
  open: z.optional(z.object({ timestamp: z.string() })),
  click: z.optional(z.object({ timestamp: z.string(), link: z.optional(z.string()) })),
});
export type SesEventDetail = z.output<typeof sesEventDetail>;

export const sesBusEvent = z.object({
  id: z.string(),
  'detail-type': z.string(),
  source: z.literal(SES_EVENT_SOURCE),
  time: z.string(),
  detail: sesEventDetail,
});
export type SesBusEvent = z.output<typeof sesBusEvent>;
