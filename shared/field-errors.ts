import type * as z from 'zod/mini';
import type { FieldError } from './errors';

/** zod issues as `{ path: "consent.marketing", message }`, the field errors ValidationFailed carries. */
export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      path: [...issue.path, ...(key === undefined ? [] : [key])].map(String).join('.'),
      message: issue.message,
    }));
  }).flat();
}
