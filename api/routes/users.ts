import * as z from 'zod/mini';
import { bookTransferInput } from '../../shared/allocation/book-transfer';
import { delegateInput } from '../../shared/users/delegation';
import { inviteUserInput, putUserInput, updateUserInput, USER_PAGE_SIZE } from '../../shared/users/user';
import { bookTransferResponse } from '../responses/allocation';
import { staleVersion } from '../responses/common';
import { directoryUserPageResponse, directoryUserResponse } from '../responses/users';
import { areaRoutes } from '../route';

const userId = { userId: 'User id (the token `sub`)' };
const notAdmin = 'Only an admin may change the user directory (`forbidden`).';
const badUserId = 'The user id is not 1-128 letters, digits or `_ @ . : -` (`validation-failed`, path `path.userId`).';

const deactivatedUserResponse = z.extend(directoryUserResponse, {
  bookTransfer: z.nullable(bookTransferResponse).check(z.describe('The hand-over of their book, when a destination was named; follow it at `GET /users/{userId}/transfer`')),
});

/** The tenant's user directory: names, emails and teams behind user ids. */
export const USERS_ROUTES = areaRoutes('users', 'users', [
  {
    method: 'POST',
    path: '/users',
    auth: 'jwt',
    handler: 'functions/users/invite-user.ts',
    access: { table: 'readWrite', userPool: 'admin' },
    doc: {
      summary: 'Invite a user',
      description:
        'Creates the sign-in in the stage\'s Cognito user pool with the tenant attribute, the team and the groups, which mails the user a temporary password ' +
        '(locally: the stand-in user pool, whose mail shows at `GET /_local/emails`), and the directory entry under the id Cognito gave (the token `sub`). ' +
        'A retry after a failure completes the same user. An email signs in once per stage, whatever the tenant. Admins only.',
      tags: ['Users'],
      requestBody: { schema: inviteUserInput, description: 'Who, in which groups, team and under which manager. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Invited.', schema: directoryUserResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: 'The body fails the schema, or `managerId` is not an active user of the tenant (`validation-failed`, named in `errors`).',
        403: notAdmin,
        409: 'The user is already in this tenant\'s directory (`user-exists`, with `userId`), or the email signs in to another tenant (`email-taken`).',
      },
    },
  },
  {
    method: 'PATCH',
    path: '/users/{userId}',
    auth: 'jwt',
    handler: 'functions/users/update-user.ts',
    access: { table: 'readWrite', userPool: 'admin' },
    doc: {
      summary: "Change a user's name, groups, team or manager",
      description:
        'Only the named fields change (`null` clears the team or the manager); `groups` replaces the set. Groups and team are written to Cognito as well and reach the ' +
        "user's token at their next sign-in or token refresh; the directory changes at once. Admins only.",
      tags: ['Users'],
      pathParameters: userId,
      requestBody: { schema: updateUserInput, description: 'At least one field.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'The entry as changed.', schema: directoryUserResponse, headers: ['ETag'] },
      errors: {
        400: `The body fails the schema or names nothing, \`managerId\` is not another active user, or ${badUserId}`,
        403: notAdmin,
        404: 'No directory entry for this user id in your tenant (`not-found`).',
        412: staleVersion('entry'),
      },
    },
  },
  {
    method: 'POST',
    path: '/users/{userId}/deactivate',
    auth: 'jwt',
    handler: 'functions/users/deactivate-user.ts',
    access: { table: 'readWrite', userPool: 'admin' },
    doc: {
      summary: 'Deactivate a user and hand their book on',
      description:
        'Disables their sign-in and signs them out of every device; the API refuses their tokens within 30 seconds (each function re-reads the directory that often); ' +
        'nobody can give them customers or tasks. Their book goes to `toUserId` or into `poolId` as `POST /users/{userId}/transfer` would (202 with the hand-over); ' +
        'a destination is required while they own customers (send `{}` otherwise). The destination is checked before anything changes; a retry completes what a failed call began. ' +
        'Their history stays theirs. Admins only.',
      tags: ['Users'],
      pathParameters: userId,
      requestBody: { schema: bookTransferInput, description: 'Where their book goes: one of `toUserId` and `poolId`, or `{}` when they own no customers.' },
      success: { status: 200, description: 'Deactivated (202 with `bookTransfer` and a Location when their book is being handed on).', schema: deactivatedUserResponse, headers: ['Location'] },
      errors: {
        400: `They own customers and no destination is named, or both are, or the destination is unknown or inactive (named in \`errors\`); you named yourself; or ${badUserId}`,
        403: notAdmin,
        404: 'No directory entry for this user id in your tenant (`not-found`).',
        409: 'A hand-over of their book to another destination is running (`book-transfer-running`).',
      },
    },
  },
  {
    method: 'POST',
    path: '/users/{userId}/activate',
    auth: 'jwt',
    handler: 'functions/users/activate-user.ts',
    access: { table: 'readWrite', userPool: 'admin' },
    doc: {
      summary: 'Reactivate a user',
      description: 'Enables their sign-in again; they may be given customers and tasks again. Their former book stays where it went. Admins only.',
      tags: ['Users'],
      pathParameters: userId,
      success: { status: 200, description: 'Active.', schema: directoryUserResponse },
      errors: { 400: badUserId, 403: notAdmin, 404: 'No directory entry for this user id in your tenant (`not-found`).' },
    },
  },
  {
    method: 'PUT',
    path: '/users/{userId}/delegate',
    auth: 'jwt',
    handler: 'functions/users/set-delegate.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Delegate approvals while away',
      description:
        'Names who decides the user\'s approvals while they are out of office, until `until` (absent: until cleared with DELETE). Approval steps that open while it holds ' +
        'give the approval to the delegate, on behalf of the user (`onBehalfOf`); approvals already in the user\'s inbox stay theirs. Users set their own; admins anyone\'s.',
      tags: ['Users'],
      pathParameters: userId,
      requestBody: { schema: delegateInput, description: 'The delegate and, optionally, when the delegation ends (ISO 8601 date-time in the future).' },
      success: { status: 200, description: 'The entry with its `delegate`.', schema: directoryUserResponse, headers: ['ETag'] },
      errors: {
        400: `The delegate is the user themself or not an active user of the tenant (\`delegateId\`), \`until\` is not in the future, or ${badUserId}`,
        403: "Another user's delegation, and you are no admin (`forbidden`).",
        404: 'No directory entry for this user id in your tenant (`not-found`).',
      },
    },
  },
  {
    method: 'DELETE',
    path: '/users/{userId}/delegate',
    auth: 'jwt',
    handler: 'functions/users/clear-delegate.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'End a delegation',
      description: 'The user decides the approvals of steps opening from now on themself again. Users clear their own; admins anyone\'s. Clearing none is no error.',
      tags: ['Users'],
      pathParameters: userId,
      success: { status: 200, description: 'The entry, `delegate` null.', schema: directoryUserResponse, headers: ['ETag'] },
      errors: {
        400: badUserId,
        403: "Another user's delegation, and you are no admin (`forbidden`).",
        404: 'No directory entry for this user id in your tenant (`not-found`).',
      },
    },
  },
  {
    method: 'PUT',
    path: '/users/{userId}',
    auth: 'jwt',
    handler: 'functions/users/put-user.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Create or replace a directory entry',
      description:
        "Who a user id is: the name and email that reclaim digests and assignments use, and the sales team. Sign-in and groups stay in Cognito; this entry only describes the user. " +
        'The whole entry is replaced (a missing `teamId` clears it); `createdAt`/`createdBy` stay those of the first PUT. Admins only.',
      tags: ['Users'],
      pathParameters: userId,
      requestBody: { schema: putUserInput, description: 'The entry. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Created (200 with the same body when an entry was replaced).', schema: directoryUserResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: 'The body is not valid JSON (`malformed-request`), fails the schema, or the user id is not 1-128 letters, digits or `_ @ . : -` (`validation-failed`, path `path.userId`).',
        403: 'Only an admin may change the user directory (`forbidden`).',
      },
    },
  },
  {
    method: 'GET',
    path: '/users',
    auth: 'jwt',
    handler: 'functions/users/list-users.ts',
    access: { table: 'read' },
    doc: {
      summary: 'List the user directory',
      description: 'One page of the tenant\'s directory entries by user id; one Query. Admins and managers.',
      tags: ['Users'],
      queryParameters: {
        limit: {
          description: `Page size, ${USER_PAGE_SIZE.default} when absent.`,
          schema: z._default(z.int().check(z.minimum(1), z.maximum(USER_PAGE_SIZE.max)), USER_PAGE_SIZE.default),
        },
        cursor: { description: "The previous page's `cursor`, to read on. Opaque.", schema: z.string() },
      },
      success: { status: 200, description: 'One page of users.', schema: directoryUserPageResponse },
      errors: {
        400: '`limit` is not a whole number from 1 to 100, or `cursor` is not one this list returned (`validation-failed`, paths `query.<name>`).',
        403: 'Only admins and managers list the directory (`forbidden`).',
      },
    },
  },
  {
    method: 'GET',
    path: '/users/{userId}',
    auth: 'jwt',
    handler: 'functions/users/get-user.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a directory entry',
      description: 'Admins, managers, and the user themself.',
      tags: ['Users'],
      pathParameters: userId,
      success: { status: 200, description: 'The entry.', schema: directoryUserResponse, headers: ['ETag'] },
      errors: {
        400: 'The user id is not 1-128 letters, digits or `_ @ . : -` (`validation-failed`, path `path.userId`).',
        403: 'You may read your own entry only (`forbidden`).',
        404: 'No directory entry for this user id in your tenant (`not-found`).',
      },
    },
  },
]);
