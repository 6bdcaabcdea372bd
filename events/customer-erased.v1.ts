import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A customer's personal data was erased on request (GDPR art. 17, CCPA deletion). It carries the
 * customer's id and the time only: no name, email or other personal data, so the event itself can
 * stay on the bus, in its archive and in consumers' stores. The admin who erased is the envelope's
 * `actor`. Consumers that copied personal data of the customer elsewhere delete it on this event.
 */
export const customerErasedV1 = defineEvent(
  'crm.customer.erased.v1',
  z.object({
    customerId: z.string().check(z.minLength(1)),
    erasedAt: z.iso.datetime(),
  }),
);

export type CustomerErasedV1 = DetailOf<typeof customerErasedV1>;
