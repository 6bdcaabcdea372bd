import { ValidationFailed } from '../errors';
import { PreconditionRequired } from './http-errors';

/**
 * `"3"` or `W/"3"` -> 3: the version a use case expects the record at. 428 without the header,
 * 400 naming it when it is no version ETag. `record` names what was edited in the 428's message
 * ("the ETag of the deal version you edited").
 */
export function versionFromIfMatch(ifMatch: string | undefined, record?: string): number {
  if (ifMatch === undefined) throw new PreconditionRequired(`Send If-Match with the ETag of the ${record ? `${record} ` : ''}version you edited`);
  return parseVersion(ifMatch);
}

/** For writes where If-Match is optional (merge): no header, no expected version; a malformed one is still a 400. */
export function optionalVersionFromIfMatch(ifMatch: string | undefined): number | undefined {
  return ifMatch === undefined ? undefined : parseVersion(ifMatch);
}

function parseVersion(ifMatch: string): number {
  const match = /^(?:W\/)?"(\d+)"$/.exec(ifMatch.trim());
  if (!match) throw new ValidationFailed([{ path: 'headers.if-match', message: 'Expected an ETag such as "3"' }]);
  return Number(match[1]);
}
