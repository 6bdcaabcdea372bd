import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * The customer answered a sent quote through its link: accepted (the order it placed in the same
 * commit) or declined. No name or reason travels here (they stay on the quote): events carry no
 * free text (docs/events.md).
 */
export const quoteAnsweredV1 = defineEvent(
  'crm.quote.answered.v1',
  z.object({
    quoteId: z.string(),
    customerId: z.string(),
    dealId: z.nullable(z.string()),
    ownerId: z.string(),
    outcome: z.enum(['accepted', 'declined']),
    orderId: z.nullable(z.string()),
    currency: z.string(),
    total: z.string(),
  }),
);

export type QuoteAnsweredV1 = DetailOf<typeof quoteAnsweredV1>;
