import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';
import { ownershipChangeFields } from './ownership-change';

/**
 * A customer went back to a pool. The rep's reason stays in the ownership history (it is free
 * text and may name people); the bus gets ids only.
 */
export const customerReleasedV1 = defineEvent('crm.customer.released.v1', z.object(ownershipChangeFields));

export type CustomerReleasedV1 = DetailOf<typeof customerReleasedV1>;
