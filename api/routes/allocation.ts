import * as z from 'zod/mini';
import { bookTransferInput } from '../../shared/allocation/book-transfer';
import { assignCustomerInput, claimFromPoolInput, releaseCustomerInput } from '../../shared/allocation/ownership-inputs';
import { bookTransferResponse } from '../responses/allocation';
import { customerResponse, problemDetailsSchema } from '../responses/common';
import type { ErrorDescription } from '../route-docs';
import { customerId, notReadable } from './customers';
import { areaRoutes } from '../route';

const timestamp = z.string().check(z.meta({ format: 'date-time', examples: ['2026-11-23T09:30:00.000Z'] }));

/** 429 `claim-limit-reached` (ClaimLimitReached). */
export const claimLimitProblemSchema = z.extend(problemDetailsSchema, {
  limit: z.int().check(z.describe("The pool policy's claims per rep and day")),
  used: z.int().check(z.describe('Claims the caller made today (UTC)')),
  resetsAt: timestamp.check(z.describe('The next UTC midnight, when the count starts over')),
});

/** 409 `max-owned` (MaxOwnedReached). */
export const maxOwnedProblemSchema = z.extend(problemDetailsSchema, {
  limit: z.int().check(z.describe("The pool policy's customers per rep")),
  owned: z.int().check(z.describe('Customers the caller owns')),
});

/** 409 `max-locked` (MaxLockedReached). */
export const maxLockedProblemSchema = z.extend(problemDetailsSchema, {
  limit: z.int().check(z.describe("The home pool policy's locked customers per owner")),
  locked: z.int().check(z.describe('Customers the owner has locked')),
});

/** POST /pools/{id}/claim */
export const poolClaimResponse = z.object({
  claimed: z.array(customerResponse).check(z.describe('The customers you own now from this request, longest-waiting first for a claim by count')),
  requested: z.int().check(z.describe('How many were asked for (`count`, or the number of `customerIds`)')),
});

/** 409 `claim-unavailable` (ClaimUnavailable). */
export const claimUnavailableProblemSchema = z.extend(problemDetailsSchema, {
  unavailable: z.array(
    z.object({
      customerId: z.string(),
      reason: z.enum(['already-owned', 'not-in-pool', 'cooldown']),
      until: z.optional(timestamp.check(z.describe('For `cooldown`: when you may claim it again'))),
    }),
  ),
});

/** 409 `claim-too-large` (ClaimTooLarge). */
export const claimTooLargeProblemSchema = z.extend(problemDetailsSchema, {
  items: z.int().check(z.describe('Items the one transaction of the claim would hold, the books included')),
  limit: z.int().check(z.describe('Items one transaction holds (100)')),
  books: z.array(z.object({ customerId: z.string(), bookItems: z.int().check(z.describe('Its open deals and its last owner\'s open tasks, which move with it')) })),
});

/** 409 `claim-cooldown` (ClaimCooldown). */
export const claimCooldownProblemSchema = z.extend(problemDetailsSchema, {
  until: timestamp.check(z.describe('From this time on the previous owner may claim the customer again')),
});

const answered = (what: string) => ({ status: 200 as const, description: what, schema: customerResponse, headers: ['ETag'] as const });
const raced = 'Another request changed the customer all along (`conflict`); send the request again.';
const notOwned = 'The customer has no owner (`not-owned`).';
const ownerOrManager = 'Who: the owner, a manager of the owner\'s team or an admin; others who may read the customer get 403, the rest 404.';
const claimConflicts: ErrorDescription = {
  description:
    'Someone else owns the customer now (`already-claimed`: of 50 concurrent claims exactly one wins); you released it less than the pool\'s cooldown ago ' +
    '(`claim-cooldown`, the body names `until`); you own as many customers as the policy allows (`max-owned`, with `limit` and `owned`); ' +
    'the customer is in no pool (`not-in-pool`, for those who may read it: a manager assigns it). ' + raced,
  schema: z.union([problemDetailsSchema, claimCooldownProblemSchema, maxOwnedProblemSchema]),
};

/** Ownership: claim from a pool, release into one, assign or transfer, lock against reclaim. */
export const ALLOCATION_ROUTES = areaRoutes('allocation', 'stateless', [
  {
    method: 'POST',
    path: '/customers/{id}/claim',
    auth: 'jwt',
    handler: 'functions/allocation/claim-customer.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Claim a customer from its pool',
      description:
        "A member of the customer's pool becomes its owner; the pool becomes its home pool, whose policy governs it from now. One transaction: the profile " +
        '(only if still unowned in that pool, and, for its previous owner, only after the re-claim cooldown), the caller\'s claims of the day (at most ' +
        '`claimLimits.perRepPerDay`, counted per UTC day) and owned customers (at most `claimLimits.maxOwnedPerRep`, counting every customer they own), ' +
        'an ownership history entry and `crm.customer.claimed.v1`. The caps are conditions of that transaction, so they hold exactly under concurrent claims. ' +
        'Claiming a customer you own already answers 200 and changes nothing. No body.',
      tags: ['Allocation'],
      pathParameters: customerId,
      success: answered('Claimed: you own it now.'),
      errors: {
        404: `${notReadable} A customer waiting in a pool you are not a member of is not readable for you.`,
        409: claimConflicts,
        410: 'The customer was merged (`customer-merged`) or erased (`customer-erased`).',
        429: { description: 'You claimed as many customers today as the pool\'s policy allows (`claim-limit-reached`); the body names `limit`, `used` and `resetsAt`.', schema: claimLimitProblemSchema },
      },
    },
  },
  {
    method: 'POST',
    path: '/pools/{id}/claim',
    auth: 'jwt',
    handler: 'functions/allocation/claim-from-pool.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Claim several customers from a pool',
      description:
        'A member of the pool takes either the customers they chose from its list (`customerIds`: all of them or none) or the `count` customers that have ' +
        'waited longest in it (fewer when fewer are waiting; customers still in your re-claim cooldown are passed over). At most the policy\'s ' +
        '`claimLimits.perRequest` per request (and never more than 30). One transaction for the whole request: every profile as for a single claim, one ' +
        'history entry and one `crm.customer.claimed.v1` per customer, and the caller\'s daily and owned counters moved by the number claimed under the same ' +
        'caps, so they hold exactly under concurrency. Each customer\'s open deals and the open tasks its last owner left move to you in the same ' +
        'transaction; by count, the batch ends before the first customer whose book no longer fits in it (fewer are claimed). ' +
        'A chosen customer you own already counts as claimed (a retried request answers the same). ' +
        'A customer taken by someone else while the request ran is replaced (by count) or reported (chosen).',
      tags: ['Allocation'],
      pathParameters: { id: 'Pool id' },
      requestBody: { schema: claimFromPoolInput, description: 'Either `customerIds` or `count`.' },
      success: { status: 200, description: 'What you own now from this request.', schema: poolClaimResponse },
      errors: {
        400: 'The body fails the schema, sends both or neither of `count` and `customerIds`, or asks for more than the policy\'s `perRequest` (`validation-failed`, naming the field).',
        404: 'No such pool in your tenant, or one you are not a member of: both look the same (`not-found`).',
        409: {
          description:
            'Some chosen customers cannot be claimed now (`claim-unavailable`; the body lists each with `already-owned`, `not-in-pool` or `cooldown` and nothing ' +
            'was claimed); the chosen customers\' open deals and tasks would take the transaction past 100 items (`claim-too-large`, naming each customer ' +
            'with a book: claim them in smaller requests); the request would take you past `maxOwnedPerRep` (`max-owned`); other claims kept taking the same customers (`conflict`, send it again).',
          schema: z.union([claimUnavailableProblemSchema, claimTooLargeProblemSchema, maxOwnedProblemSchema, problemDetailsSchema]),
        },
        429: { description: 'The request would take you past the daily claim limit (`claim-limit-reached`, with `limit`, `used` and `resetsAt`): nothing was claimed.', schema: claimLimitProblemSchema },
      },
    },
  },
  {
    method: 'POST',
    path: '/customers/{id}/release',
    auth: 'jwt',
    handler: 'functions/allocation/release-customer.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Release a customer into a pool',
      description:
        'The owner gives the customer up with a `reason` (kept in the ownership history and sent with `crm.customer.released.v1`). It goes to `poolId` when given ' +
        '(a pool you are a member of; managers and admins may name any pool), else to the pool whose routing its industry and region match best, else the ' +
        "tenant's default pool; that pool becomes its home pool. The previous owner may not claim it back for the pool's `reclaimCooldownDays`. " +
        "One transaction with the owner's counters (owned, and locked when it was locked: a release unlocks). " + ownerOrManager,
      tags: ['Allocation'],
      pathParameters: customerId,
      requestBody: { schema: releaseCustomerInput, description: 'Why, and optionally where to.' },
      success: answered('Released: the customer waits in the pool (`poolId`).'),
      errors: {
        400: 'The body fails the schema, or `poolId` names no pool you may release to (`validation-failed`, path `poolId`).',
        403: 'You may read the customer but not release it (`forbidden`).',
        404: notReadable,
        409: `${notOwned} The tenant has no pool at all (\`no-pool\`). ${raced}`,
        410: 'The customer was merged or erased.',
      },
    },
  },
  {
    method: 'POST',
    path: '/customers/{id}/assign',
    auth: 'jwt',
    handler: 'functions/allocation/assign-customer.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Assign or transfer a customer',
      description:
        'Gives the customer to `ownerId`: from a pool (the pool stays its home pool), unassigned, or from another owner (a transfer). The new owner\'s team is ' +
        "taken from the user directory (`PUT /users/{userId}`; none without an entry). One transaction: the profile, the old owner's counters (-1 owned, and " +
        "-1 locked when it was locked: an assignment unlocks), the new owner's (+1 owned; no claim cap applies to a manager's decision), an ownership history " +
        'entry and `crm.customer.assigned.v1`. Assigning a customer to its owner answers 200 and changes nothing. ' +
        "Who: an admin, or a manager for their team's customers and the unowned ones.",
      tags: ['Allocation'],
      pathParameters: customerId,
      requestBody: { schema: assignCustomerInput, description: 'The new owner.' },
      success: answered('Assigned.'),
      errors: {
        403: 'You may read the customer but not assign it (`forbidden`).',
        404: notReadable,
        409: raced,
        410: 'The customer was merged or erased.',
      },
    },
  },
  {
    method: 'POST',
    path: '/customers/{id}/lock',
    auth: 'jwt',
    handler: 'functions/allocation/lock-customer.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Lock a customer against reclaim',
      description:
        "A locked customer stays with its owner when its home pool's policy exempts locked customers (the default). The owner's locked customers are capped by the " +
        "home pool's `claimLimits.maxLockedPerRep` in the same transaction (no cap without a home pool). Locking a locked customer answers 200 and changes nothing. " +
        'Commits `crm.customer.updated.v1` (`changedFields: ["locked"]`). No body. ' + ownerOrManager,
      tags: ['Allocation'],
      pathParameters: customerId,
      success: answered('Locked.'),
      errors: {
        403: 'You may read the customer but not lock it (`forbidden`).',
        404: notReadable,
        409: { description: `${notOwned} The owner has locked as many customers as the policy allows (\`max-locked\`, with \`limit\` and \`locked\`). ${raced}`, schema: z.union([problemDetailsSchema, maxLockedProblemSchema]) },
        410: 'The customer was merged or erased.',
      },
    },
  },
  {
    method: 'POST',
    path: '/customers/{id}/unlock',
    auth: 'jwt',
    handler: 'functions/allocation/unlock-customer.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Unlock a customer',
      description:
        'The reclaim rules apply to the customer again; the reclaim sweep looks at it at its next run. Unlocking an unlocked customer answers 200 and changes nothing. ' +
        'Commits `crm.customer.updated.v1` (`changedFields: ["locked"]`). No body. ' + ownerOrManager,
      tags: ['Allocation'],
      pathParameters: customerId,
      success: answered('Unlocked.'),
      errors: {
        403: 'You may read the customer but not unlock it (`forbidden`).',
        404: notReadable,
        409: raced,
        410: 'The customer was merged or erased.',
      },
    },
  },
  {
    method: 'POST',
    path: '/users/{userId}/transfer',
    auth: 'jwt',
    handler: 'functions/allocation/start-book-transfer.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: "Hand a user's whole book over",
      description:
        'Every customer the user owns goes to `toUserId` (as `POST /customers/{id}/assign` would) or into `poolId` (as a release), each with its open deals and tasks, ' +
        'in the background: 202 at once, progress at `GET /users/{userId}/transfer`. Each customer moves at most once, by a write conditional on the user still owning it; ' +
        'one that moved meanwhile, or has more open deals and tasks than one write carries, is skipped. Resumes by itself after a crash. Admins; managers within their team. ' +
        'Asking again for the same destination while it runs answers the running one.',
      tags: ['Allocation'],
      pathParameters: { userId: 'Whose book' },
      requestBody: { schema: bookTransferInput, description: 'Exactly one of `toUserId` and `poolId`.' },
      success: { status: 202, description: 'Started (or already running to the same destination).', schema: bookTransferResponse, headers: ['Location'] },
      errors: {
        400: 'None or both of `toUserId` and `poolId`, an unknown one, or the user themself, named in `errors`.',
        403: 'Not an admin, or a manager outside their team.',
        404: 'No such user in the directory.',
        409: 'A hand-over of this book to another destination is running (`book-transfer-running`).',
      },
    },
  },
  {
    method: 'GET',
    path: '/users/{userId}/transfer',
    auth: 'jwt',
    handler: 'functions/allocation/get-book-transfer.ts',
    access: { table: 'read' },
    doc: {
      summary: "How far a book hand-over got",
      description: 'The latest hand-over of the user\'s book: destination, `running` or `done`, customers moved and skipped. The user, admins, their managers.',
      tags: ['Allocation'],
      pathParameters: { userId: 'Whose book' },
      success: { status: 200, description: 'The hand-over.', schema: bookTransferResponse },
      errors: { 403: 'Not yours to read.', 404: 'No hand-over of this book.' },
    },
  },
]);
