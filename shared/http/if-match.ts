import { ValidationFailed } from '../errors';
import { PreconditionRequired } from './http-errors';

/** `"3"` or `W/"3"` -> 3; 428 without the header, 400 naming it when it is no version ETag. */
export function versionFromIfMatch(ifMatch: string | undefined): number {
  if (ifMatch === undefined) throw new PreconditionRequired('Send If-Match with the ETag of the version you edited');
  const match = /^(?:W\/)?"(\d+)"$/.exec(ifMatch.trim());
  if (!match) throw new ValidationFailed([{ path: 'headers.if-match', message: 'Expected an ETag such as "3"' }]);
  return Number(match[1]);
}
