import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * The CRM switched a webhook off: its deliveries kept failing for the set time (docs/integrations.md,
 * "Webhooks"). Its admins are mailed; no delivery is attempted until an admin switches it on again.
 */
export const webhookDisabledV1 = defineEvent(
  'crm.webhook.disabled.v1',
  z.object({
    webhookId: z.string(),
    /** Since when every attempt failed. */
    failingSince: z.string(),
    /** The status of the last failed answer, null when there was none (timeout, refused address). */
    lastStatusCode: z.nullable(z.number()),
  }),
);

export type WebhookDisabledV1 = DetailOf<typeof webhookDisabledV1>;
