import * as z from 'zod/mini';
import { putUserInput, USER_PAGE_SIZE } from '../../shared/users/user';
import { directoryUserPageResponse, directoryUserResponse } from '../responses/pools';
import { areaRoutes } from '../route';

const userId = { userId: 'User id (the token `sub`)' };

/** The tenant's user directory: names, emails and teams behind user ids. */
export const USERS_ROUTES = areaRoutes('users', 'stateless', [
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
      success: { status: 201, description: 'Created (200 with the same body when an entry was replaced).', schema: directoryUserResponse, headers: ['Location'] },
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
      success: { status: 200, description: 'The entry.', schema: directoryUserResponse },
      errors: {
        400: 'The user id is not 1-128 letters, digits or `_ @ . : -` (`validation-failed`, path `path.userId`).',
        403: 'You may read your own entry only (`forbidden`).',
        404: 'No directory entry for this user id in your tenant (`not-found`).',
      },
    },
  },
]);
