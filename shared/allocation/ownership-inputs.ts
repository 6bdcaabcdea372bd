import * as z from 'zod/mini';
import { text } from '../customers/fields';

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
});
export type AssignCustomerInput = z.output<typeof assignCustomerInput>;
