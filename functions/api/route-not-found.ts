import { NotFound } from '../../shared/errors';
import { httpHandler } from '../../shared/http/http-handler';

/**
 * The HTTP API's `$default` route: a path no route serves, or a method a path does not take,
 * answers 404 problem+json like every other error of the API (instead of API Gateway's own
 * `{"message":"Not Found"}`). Public, since it reads nothing and says nothing about the caller.
 */
export const handler = httpHandler({ authenticated: false }, async () => {
  throw new NotFound('No route of this API serves this method and path');
});
