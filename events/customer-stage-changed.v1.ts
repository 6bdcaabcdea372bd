import * as z from 'zod/mini';
import { LIFECYCLE_STAGES } from '../shared/customers/customer';
import { defineEvent, type DetailOf } from './envelope';

/** A customer moved along the lifecycle (lead -> mql -> ... -> customer): automations listen here. */
export const customerStageChangedV1 = defineEvent(
  'crm.customer.stage-changed.v1',
  z.object({
    customerId: z.string(),
    from: z.enum(LIFECYCLE_STAGES),
    to: z.enum(LIFECYCLE_STAGES),
    ownerId: z.nullable(z.string()),
  }),
);

export type CustomerStageChangedV1 = DetailOf<typeof customerStageChangedV1>;
