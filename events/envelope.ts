import { z } from 'zod';

/** Every domain event on the bus has source `crm` and its contract's name as detail-type. */
export const EVENT_SOURCE = 'crm';

export const actorSchema = z.object({
  type: z.enum(['user', 'system']),
  id: z.string().min(1),
});
export type Actor = z.infer<typeof actorSchema>;

/**
 * The envelope every event detail carries. `id` makes consumers idempotent; `correlationId`
 * ties an event to the request (or flow) that caused it.
 */
export function envelopeSchema<TType extends string, TData extends z.ZodType>(type: TType, data: TData) {
  return z.object({
    id: z.string().min(1),
    type: z.literal(type),
    occurredAt: z.iso.datetime(),
    tenantId: z.string().min(1),
    actor: actorSchema,
    correlationId: z.string().min(1),
    data,
  });
}

export interface EventContract<TType extends string = string, TDetail = unknown> {
  detailType: TType;
  schema: z.ZodType<TDetail>;
}

export function defineEvent<TType extends string, TData extends z.ZodType>(detailType: TType, data: TData) {
  const schema = envelopeSchema(detailType, data);
  return { detailType, schema } as const satisfies EventContract<TType, z.output<typeof schema>>;
}

export type DetailOf<TContract extends { schema: z.ZodType }> = z.output<TContract['schema']>;

/** What a consumer receives from EventBridge (and what the local bus delivers). */
export const busEventSchema = z.object({
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  time: z.string(),
  detail: z.unknown(),
});

/** The envelope alone, for consumers that handle any event (stats, automations). */
export const anyEnvelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  occurredAt: z.iso.datetime(),
  tenantId: z.string().min(1),
  actor: actorSchema,
  correlationId: z.string().min(1),
  data: z.unknown(),
});
