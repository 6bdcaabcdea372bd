import * as z from 'zod/mini';
import { text } from '../customers/fields';
import { MAX_CLAIMS_PER_REQUEST } from '../pools/reclaim-policy';

const id = (what: string) => z.string().check(z.minLength(1, `Expected ${what}`), z.maxLength(128, `${what} has at most 128 characters`));

/** Request body of POST /customers/{id}/release. Unknown fields are rejected by name. */
export const releaseCustomerInput = z.strictObject({
  /** Why the owner lets go: recorded in the ownership history, sent with the event. */
  reason: text(500),
  /** The pool to release into; without it the customer is routed by industry and region. */
  poolId: z.optional(id('a pool id')),
});
export type ReleaseCustomerInput = z.output<typeof releaseCustomerInput>;

/** Request body of POST /customers/{id}/assign. */
export const assignCustomerInput = z.strictObject({
  ownerId: id('a user id'),
  /** The owner the caller saw (`null`: unowned): another owner by the time it runs is a 409 `transfer-conflict`. */
  fromOwnerId: z.optional(z.nullable(id('a user id'))),
});
export type AssignCustomerInput = z.output<typeof assignCustomerInput>;

/**
 * Request body of POST /pools/{id}/claim: either the customers chosen in the pool's list, or how
 * many of the longest-waiting ones to take. Exactly one of the two.
 */
export const claimFromPoolInput = z
  .strictObject({
    count: z.optional(z.int().check(z.minimum(1, 'Expected at least 1'), z.maximum(MAX_CLAIMS_PER_REQUEST, `Expected at most ${MAX_CLAIMS_PER_REQUEST}`))),
    customerIds: z.optional(
      z
        .array(id('a customer id'))
        .check(
          z.minLength(1, 'Expected at least one customer id'),
          z.maxLength(MAX_CLAIMS_PER_REQUEST, `Expected at most ${MAX_CLAIMS_PER_REQUEST} customer ids`),
          z.refine((ids) => new Set(ids).size === ids.length, 'Expected each customer id once'),
        ),
    ),
  })
  .check(
    z.superRefine((input, ctx) => {
      if ((input.count === undefined) === (input.customerIds === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['count'], input, message: 'Send either count or customerIds' });
      }
    }),
  );
export type ClaimFromPoolInput = z.output<typeof claimFromPoolInput>;
