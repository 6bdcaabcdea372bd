import * as z from 'zod/mini';
import type { webhookView } from '../../shared/webhooks/webhook';
import type { deliveryView } from '../../shared/webhooks/webhook-delivery';

/** What the webhook routes answer (documentation only). */

const instant = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)' }));

export const webhookResponse = z.object({
  id: z.string(),
  url: z.string(),
  eventPattern: z.record(z.string(), z.unknown()).check(z.describe('An EventBridge pattern over the bus event, as automations take it')),
  description: z.nullable(z.string()),
  enabled: z.boolean(),
  disabledReason: z.nullable(z.string()).check(z.describe('Why the CRM switched it off, when it did')),
  failingSince: z.nullable(instant).check(z.describe('Since when every attempt failed; after 24 hours the CRM switches it off and mails the admins')),
  secretRotatedAt: z.nullable(instant),
  previousSecretRetiresAt: z.nullable(instant).check(z.describe('Until when the secret before the last rotation still signs (both signatures are sent)')),
  createdAt: instant,
  createdBy: z.string(),
  updatedAt: instant,
  updatedBy: z.string(),
  version: z.number(),
});
export const webhookWithSecretResponse = z.object({
  ...webhookResponse.shape,
  secret: z.string().check(z.describe('The signing secret (`whsec_...`), shown this once: verify deliveries with any Standard Webhooks library')),
});
export const webhookListResponse = z.object({ items: z.array(webhookResponse) });

export const deliveryResponse = z.object({
  id: z.string().check(z.describe("The event's id; also the `webhook-id` header of every attempt")),
  webhookId: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']).check(z.describe('`failed`: no attempt succeeded within 24 hours (or the webhook went away); a retry sends it again')),
  attempts: z.number(),
  createdAt: instant,
  lastAttemptAt: z.nullable(instant),
  lastStatusCode: z.nullable(z.number()),
  lastLatencyMs: z.nullable(z.number()),
  lastError: z.nullable(z.string()),
  nextAttemptAt: z.nullable(instant),
  deliveredAt: z.nullable(instant),
});
export const replayResponse = z.object({
  replayName: z.string().check(z.describe('`whr-<webhook id>-<suffix>`: EventBridge stamps it on each replayed event')),
  from: instant,
  to: instant,
  state: z.string().check(z.describe("The archive replay's state when started (STARTING)")),
});
export const deliveryPageResponse = z.object({ items: z.array(deliveryResponse), cursor: z.nullable(z.string()) });

// Ties the schemas to the views: changing one without the other fails tsc.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _WebhookSchemaMatchesTheView = Holds<Equals<z.output<typeof webhookResponse>, ReturnType<typeof webhookView>>>;
export type _DeliverySchemaMatchesTheView = Holds<Equals<z.output<typeof deliveryResponse>, ReturnType<typeof deliveryView>>>;
