import * as z from 'zod/mini';
import { type OwnershipChange, OWNERSHIP_REASONS } from '../../shared/allocation/ownership-history';

/**
 * The ownership history entry as the 360 view lists it, for the OpenAPI document only (following
 * common.ts, which imports it; the problem bodies of the ownership routes live with their rows in
 * api/routes/allocation.ts). The check at the end ties it to the stored record.
 */

const timestamp = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)', examples: ['2026-11-23T09:30:00.000Z'] }));

/** One entry of a customer's ownership history (the 360 view's `ownershipHistory`). */
export const ownershipChangeResponse = z.object({
  id: z.string().check(z.describe('Entry id (ULID)')),
  customerId: z.string(),
  from: z.nullable(z.string()).check(z.describe('The owner before; null when it came from a pool or was unassigned')),
  to: z.nullable(z.string()).check(z.describe('The owner after; null when it went to a pool')),
  poolId: z.nullable(z.string()).check(z.describe('The pool it came from (claim, assignment out of a pool) or went to (release, reclaim)')),
  reason: z.enum(OWNERSHIP_REASONS),
  note: z.nullable(z.string()).check(z.describe("The releasing user's reason")),
  actor: z.object({ type: z.enum(['user', 'system']), id: z.string() }),
  at: timestamp,
});

// ---- the schema above must describe what the code stores ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
type _OwnershipChangeMatchesTheCode = Holds<Equals<z.output<typeof ownershipChangeResponse>, OwnershipChange>>;
