import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * A message joined a case's thread, committed with it: a reply the reply sender mails once
 * (`outbound`), an internal note, or the customer's own mail (`inbound`). No text: the thread
 * holds it, and an erasure removes it there.
 */
export const caseMessageAddedV1 = defineEvent(
  'crm.case.message-added.v1',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    messageId: z.string(),
    kind: z.enum(['inbound', 'outbound', 'note']),
    /** The case's status after the message. */
    status: z.enum(['new', 'open', 'pending-customer', 'resolved', 'closed']),
  }),
);

export type CaseMessageAddedV1 = DetailOf<typeof caseMessageAddedV1>;
