import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';
import { ownershipChangeFields } from './ownership-change';

/** A customer was given to an owner (from a pool, unassigned, or transferred from another owner). */
export const customerAssignedV1 = defineEvent('crm.customer.assigned.v1', z.object(ownershipChangeFields));

export type CustomerAssignedV1 = DetailOf<typeof customerAssignedV1>;
