import * as z from 'zod/mini';
import { GROUPS } from '../../shared/access/caller';
import { USER_STATUSES, type userView } from '../../shared/users/user';
import type { listUsers } from '../../shared/users/user-use-cases';

/**
 * Response schemas of the user directory routes, for the OpenAPI document only (as in common.ts,
 * whose conventions these follow); the checks at the end tie them to the views.
 */

const timestamp = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)', examples: ['2026-11-23T09:30:00.000Z'] }));

/** `userView`: a user directory entry. */
export const directoryUserResponse = z.object({
  userId: z.string().check(z.describe('The user id (token `sub`)')),
  email: z.string().check(z.meta({ format: 'email', description: 'Stored trimmed and lower case' })),
  name: z.string(),
  teamId: z.nullable(z.string().check(z.describe('The sales team, as in the Cognito attribute `custom:teamId`'))),
  managerId: z.nullable(z.string().check(z.describe('Who they report to'))),
  groups: z.array(z.enum(GROUPS)).check(z.describe('Their Cognito groups as the directory last set them; empty for entries made by PUT')),
  status: z.enum(USER_STATUSES).check(z.describe('A deactivated user cannot sign in, is refused by the API and cannot be given customers or tasks')),
  invitedAt: z.nullable(timestamp),
  deactivatedAt: z.nullable(timestamp),
  deactivatedBy: z.nullable(z.string()),
  delegate: z.nullable(
    z.object({
      userId: z.string().check(z.describe('Who decides their approvals while they are away')),
      until: z.nullable(timestamp).check(z.describe('When the delegation ends; null: until cleared')),
    }),
  ).check(z.describe('Set with PUT /users/{userId}/delegate; approval steps opening while it holds go to the delegate')),
  createdAt: timestamp,
  createdBy: z.string(),
  updatedAt: timestamp,
  updatedBy: z.string(),
  version: z.int().check(z.minimum(0), z.describe('+1 per change; the ETag is this number in quotes (0 for an entry untouched since versions began)')),
});

/** GET /users */
export const directoryUserPageResponse = z.object({
  items: z.array(directoryUserResponse).check(z.describe('By user id')),
  cursor: z.nullable(z.string()).check(z.describe('Pass as ?cursor= for the next page; null on the last page')),
});

// ---- the schemas above must describe what the code returns ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;

type _ResponseSchemasMatchTheCode = [
  Holds<Equals<z.output<typeof directoryUserResponse>, ReturnType<typeof userView>>>,
  Holds<Equals<z.output<typeof directoryUserPageResponse>['cursor'], Awaited<ReturnType<typeof listUsers>>['cursor']>>,
];
