import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/** A service case was opened for a customer (by an agent, the API, or later a mail or a form). Ids and labels only. */
export const caseOpenedV1 = defineEvent(
  'crm.case.opened.v1',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']),
    category: z.string(),
    channel: z.enum(['email', 'web', 'phone', 'chat', 'api']),
    assigneeId: z.nullable(z.string()),
    /** The customer was created for this case: nobody held the requester's address. */
    customerCreated: z.boolean(),
    /** Opened by mail that answered this closed case. Absent on events before inbound mail. */
    relatedCaseId: z.optional(z.nullable(z.string())),
    /** After-sales: the order the case is about, null for none. Absent on events before after-sales cases. */
    orderId: z.optional(z.nullable(z.string())),
  }),
);

export type CaseOpenedV1 = DetailOf<typeof caseOpenedV1>;
