import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/** A quote was mailed to its customer with a signed link to view and answer it (docs/processes.md, "Sending a quote"). */
export const quoteSentV1 = defineEvent(
  'crm.quote.sent.v1',
  z.object({
    quoteId: z.string(),
    customerId: z.string(),
    dealId: z.nullable(z.string()),
    ownerId: z.string(),
    /** The quote's version once sent: the mail goes only while the quote is still this version. */
    version: z.number(),
    /** The contact it went to, if one was named; the address itself stays on the quote. */
    contactId: z.nullable(z.string()),
    currency: z.string(),
    /** The grand total, a decimal string in the currency. */
    total: z.string(),
    validUntil: z.string(),
    /** A repeat of an earlier sending (the same link, mailed again). */
    resent: z.boolean(),
  }),
);

export type QuoteSentV1 = DetailOf<typeof quoteSentV1>;
