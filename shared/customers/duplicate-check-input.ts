import * as z from 'zod/mini';
import { domain, email, phone, text } from './fields';

/**
 * The duplicate check's request, apart from the finder so that bundles which only need the schema
 * (the OpenAPI document) do not pull in the AWS SDK.
 */
export const checkDuplicatesInput = z.strictObject({
  emails: z.optional(z.array(email).check(z.maxLength(10))),
  phones: z.optional(z.array(phone).check(z.maxLength(10))),
  domain: z.optional(domain),
  name: z.optional(text(200)),
});
export type CheckDuplicatesInput = z.output<typeof checkDuplicatesInput>;

/** Name matches are suggestions; a handful is what a rep can act on. */
export const MAX_NAME_MATCHES = 10;
