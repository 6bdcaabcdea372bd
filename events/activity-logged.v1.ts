import * as z from 'zod/mini';
import { ACTIVITY_TYPES } from '../shared/activities/activity';
import { defineEvent, type DetailOf } from './envelope';

/** Something happened with a customer (a call, a meeting, a purchase...). Body text stays in the table. */
export const activityLoggedV1 = defineEvent(
  'crm.activity.logged.v1',
  z.object({
    customerId: z.string(),
    activityId: z.string(),
    activityType: z.enum(ACTIVITY_TYPES),
    occurredAt: z.iso.datetime(),
    /** True when it counts as the owner following up (the reclaim rules reset on it). */
    followUp: z.boolean(),
  }),
);

export type ActivityLoggedV1 = DetailOf<typeof activityLoggedV1>;
