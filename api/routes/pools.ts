import * as z from 'zod/mini';
import { CUSTOMER_PAGE_SIZE } from '../../shared/customers/customer-list-query';
import { createPoolInput, MAX_POOL_USERS, poolPatch } from '../../shared/pools/pool';
import { customerPageResponse, staleVersionProblemSchema } from '../responses/common';
import { poolListResponse, poolResponse } from '../responses/pools';
import type { ErrorDescription } from '../route-docs';
import { areaRoutes } from '../route';

const poolId = { id: 'Pool id' };
const notAMember = 'No such pool in your tenant, or one you are not a member of: both look the same (`not-found`).';
const adminsOnly = (what: string) => `Only an admin may ${what} (\`forbidden\`).`;
const stalePool: ErrorDescription = {
  description: 'The pool changed since the version in If-Match (`precondition-failed`); the body names the current version and ETag. Read it again and reapply.',
  schema: staleVersionProblemSchema,
};
const policyErrors =
  'A policy problem names its field, e.g. `policy.warningDaysBefore` when the warning is not shorter than the shortest reclaim period, ' +
  '`policy.rules` when no rule is enabled, `policy.claimLimits.perRequest` when it exceeds `perRepPerDay`.';

/** Public pools: unowned customers that members may claim, with their routing and reclaim policy. */
export const POOLS_ROUTES = areaRoutes('pools', 'stateless', [
  {
    method: 'POST',
    path: '/pools',
    auth: 'jwt',
    handler: 'functions/pools/create-pool.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Create a pool',
      description:
        'A public pool holds unowned customers that its members may see and claim. `members` lists user ids (at most ' + MAX_POOL_USERS + ') and groups; ' +
        'admins are members of every pool. `routing` (industries, regions) decides which pool a released or reclaimed customer lands in: the pool ' +
        'meeting most criteria, else the default pool. `policy` is the reclaim policy of the customers claimed from the pool (rules with N days, ' +
        'optionally per customer level; exemptions; the warning D days before; claim limits; the re-claim cooldown); `policyVersion` starts at 1. ' +
        "The tenant's first pool is its default whatever `isDefault` says; `isDefault: true` makes the new pool the default and unsets the old one " +
        'in the same transaction, so there is always exactly one. Admins only.',
      tags: ['Pools'],
      requestBody: { schema: createPoolInput, description: 'The pool. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Created.', schema: poolResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: `The body is not valid JSON (\`malformed-request\`) or fails the schema (\`validation-failed\`). ${policyErrors}`,
        403: adminsOnly('create pools'),
        409: 'The default pool kept moving under concurrent changes (`pool-conflict`); send the request again.',
      },
    },
  },
  {
    method: 'GET',
    path: '/pools',
    auth: 'jwt',
    handler: 'functions/pools/list-pools.ts',
    access: { table: 'read' },
    doc: {
      summary: 'The pools you are a member of',
      description: 'Every pool of the tenant you are a member of (as a listed user or through a group; admins: all), oldest first, with its routing and policy. One Query.',
      tags: ['Pools'],
      success: { status: 200, description: 'The pools (empty when you are a member of none).', schema: poolListResponse },
    },
  },
  {
    method: 'GET',
    path: '/pools/{id}',
    auth: 'jwt',
    handler: 'functions/pools/get-pool.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a pool',
      description: 'Members only. The ETag is the version to send back in If-Match when editing.',
      tags: ['Pools'],
      pathParameters: poolId,
      success: { status: 200, description: 'The pool.', schema: poolResponse, headers: ['ETag'] },
      errors: { 404: notAMember },
    },
  },
  {
    method: 'PATCH',
    path: '/pools/{id}',
    auth: 'jwt',
    handler: 'functions/pools/update-pool.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Update a pool (JSON Merge Patch)',
      description:
        'A field present replaces the stored value, `null` clears `description` or `routing` (or one routing list), a missing field stays; `members` merge per key ' +
        '(`users`, `groups`). `policy` is replaced as a whole and bumps `policyVersion`: the new policy applies from each customer\'s next evaluation. ' +
        '`isDefault: true` makes this pool the default and unsets the old default in the same transaction; `isDefault: false` on the default pool is refused ' +
        '(make another pool the default instead) and changes nothing on another pool. A patch that changes nothing answers the pool unchanged, at the same version. Admins only.',
      tags: ['Pools'],
      pathParameters: poolId,
      requestBody: { schema: poolPatch, description: 'The changes. Unknown fields are rejected by name.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'The pool after the change.', schema: poolResponse, headers: ['ETag'] },
      errors: {
        400: `The body is not valid JSON (\`malformed-request\`), fails the schema, or If-Match is not an ETag such as "3" (\`validation-failed\`). ${policyErrors}`,
        403: adminsOnly('change pools'),
        404: 'No such pool in your tenant (`not-found`).',
        409: '`isDefault: false` on the default pool (`default-pool-required`): the tenant keeps one default; or the default kept moving under concurrent changes (`pool-conflict`).',
        412: stalePool,
      },
    },
  },
  {
    method: 'GET',
    path: '/pools/{id}/customers',
    auth: 'jwt',
    handler: 'functions/pools/list-pool-customers.ts',
    access: { table: 'read' },
    doc: {
      summary: 'The customers waiting in a pool',
      description:
        'One page of the unowned customers in the pool, most recently updated first; `industry`, `region` and `level` narrow it (exact values, combined with AND). ' +
        'Each page is one Query on the pool\'s book; the filters apply to that page, so a filtered page may hold fewer than `limit` customers while `cursor` is not null. ' +
        'Members only: members also read each of these customers (GET /customers/{id}, its 360 view and timeline), but do not change them.',
      tags: ['Pools'],
      pathParameters: poolId,
      queryParameters: {
        industry: { description: 'Only customers of this industry (exact).', schema: z.string() },
        region: { description: 'Only customers of this region (exact).', schema: z.string() },
        level: { description: 'Only customers of this level, e.g. `A` (exact).', schema: z.string() },
        limit: {
          description: `Page size, ${CUSTOMER_PAGE_SIZE.default} when absent.`,
          schema: z._default(z.int().check(z.minimum(1), z.maximum(CUSTOMER_PAGE_SIZE.max)), CUSTOMER_PAGE_SIZE.default),
        },
        cursor: { description: "The previous page's `cursor`, to read on. Opaque; only valid for the same pool.", schema: z.string() },
      },
      success: { status: 200, description: 'One page of customers.', schema: customerPageResponse },
      errors: {
        400: 'A filter is malformed or unknown, `limit` is not a whole number from 1 to 100, or `cursor` is not one this list returned (`validation-failed`, paths `query.<name>`).',
        404: notAMember,
      },
    },
  },
]);
