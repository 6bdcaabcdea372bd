import * as z from 'zod/mini';

/** Every domain event on the bus has source `crm` and its contract's name as detail-type. */
export const EVENT_SOURCE = 'crm';

const nonEmpty = () => z.string().check(z.minLength(1));

export const actorSchema = z.object({
  type: z.enum(['user', 'system']),
  id: nonEmpty(),
});
export type Actor = z.output<typeof actorSchema>;

const envelopeFields = {
  id: nonEmpty(),
  occurredAt: z.iso.datetime(),
  tenantId: nonEmpty(),
  actor: actorSchema,
  correlationId: nonEmpty(),
};

/**
 * The envelope every event detail carries. `id` makes consumers idempotent; `correlationId`
 * ties an event to the request (or flow) that caused it.
 */
export function envelopeSchema<TType extends string, TData extends z.ZodMiniType>(type: TType, data: TData) {
  return z.object({ ...envelopeFields, type: z.literal(type), data });
}

export interface EventContract<TType extends string = string, TDetail = unknown> {
  detailType: TType;
  schema: z.ZodMiniType<TDetail>;
}

export function defineEvent<TType extends string, TData extends z.ZodMiniType>(detailType: TType, data: TData) {
  const schema = envelopeSchema(detailType, data);
  return { detailType, schema } as const satisfies EventContract<TType, z.output<typeof schema>>;
}

export type DetailOf<TContract extends { schema: z.ZodMiniType }> = z.output<TContract['schema']>;

/** What a consumer receives from EventBridge (and what the local bus delivers). */
export const busEventSchema = z.object({
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  time: z.string(),
  detail: z.unknown(),
});

/** The envelope alone, for consumers that handle any event (stats, automations). */
export const anyEnvelopeSchema = z.object({ ...envelopeFields, type: nonEmpty(), data: z.unknown() });
