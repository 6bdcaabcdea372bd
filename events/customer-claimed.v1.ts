import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';
import { ownershipChangeFields } from './ownership-change';

/** A rep claimed a customer from a pool. */
export const customerClaimedV1 = defineEvent('crm.customer.claimed.v1', z.object(ownershipChangeFields));

export type CustomerClaimedV1 = DetailOf<typeof customerClaimedV1>;
