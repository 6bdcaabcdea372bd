import * as z from 'zod/mini';
import { GROUPS } from '../../shared/access/caller';
import type { poolView } from '../../shared/pools/pool';
import { reclaimPolicySchema } from '../../shared/pools/reclaim-policy';

/**
 * Response schemas of the pools routes, for the OpenAPI document only (as in
 * common.ts, whose conventions these follow); the checks at the end tie them to the views.
 */

const timestamp = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)', examples: ['2026-11-23T09:30:00.000Z'] }));
const version = z.int().check(z.minimum(1), z.describe('Starts at 1, +1 per change; the ETag is this number in quotes'));

/** `poolView`: a pool as POST/GET/PATCH /pools answer it. */
export const poolResponse = z.object({
  id: z.string().check(z.meta({ description: 'Pool id', examples: ['01JD6Q2N8R5W3Y7Z9A1B2C3D4E'] })),
  name: z.string(),
  description: z.nullable(z.string()),
  members: z.object({
    users: z.array(z.string()).check(z.describe('User ids (token `sub`) of members')),
    groups: z.array(z.enum(GROUPS)).check(z.describe('Every user of these groups is a member; admins always are')),
  }),
  routing: z
    .object({ industries: z.array(z.string()), regions: z.array(z.string()) })
    .check(z.describe('A released or reclaimed customer lands in the pool meeting most of these criteria (case ignored), else in the default pool; an empty list sets no condition')),
  isDefault: z.boolean().check(z.describe('Exactly one pool of the tenant is its default')),
  policy: reclaimPolicySchema,
  policyVersion: z.int().check(z.minimum(1), z.describe('+1 per policy change; a change applies from each customer\'s next evaluation')),
  createdAt: timestamp,
  createdBy: z.string(),
  updatedAt: timestamp,
  updatedBy: z.string(),
  version,
});

/** GET /pools */
export const poolListResponse = z.object({ items: z.array(poolResponse).check(z.describe('The pools you are a member of (admins: all), oldest first')) });

// ---- the schemas above must describe what the code returns ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;

type _ResponseSchemasMatchTheCode = [
  Holds<Equals<z.output<typeof poolResponse>, ReturnType<typeof poolView>>>,
];
