import * as z from 'zod/mini';
import { CUSTOMER_PAGE_SIZE } from '../customers/customer-list-query';
import { text } from '../customers/fields';
import { ValidationFailed } from '../errors';
import { fieldErrors } from '../field-errors';

/**
 * GET /pools/{id}/customers: the query string. Pure and free of the AWS SDK, so the OpenAPI
 * bundle can import it. The filters compare exactly (after trimming) with the customer's field.
 */
export const listPoolCustomersQuery = z.strictObject({
  industry: z.optional(text(100)),
  region: z.optional(text(100)),
  level: z.optional(text(16)),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, `Expected a whole number from 1 to ${CUSTOMER_PAGE_SIZE.max}`))),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export interface PoolCustomersQuery {
  filter: PoolCustomerFilter;
  limit: number;
  cursor: string | undefined;
}

/** Equality conditions on profile attributes, applied to the pool's page as a FilterExpression. */
export interface PoolCustomerFilter {
  industry?: string;
  region?: string;
  level?: string;
}

/** Parses the query string; every problem names its parameter (`query.<name>`). */
export function parsePoolCustomersQuery(query: Record<string, string | undefined>): PoolCustomersQuery {
  const present = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  const parsed = listPoolCustomersQuery.safeParse(present);
  if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error).map((e) => ({ ...e, path: `query.${e.path}` })));
  const { industry, region, level, limit, cursor } = parsed.data;
  const size = limit === undefined ? CUSTOMER_PAGE_SIZE.default : Number(limit);
  if (size < 1 || size > CUSTOMER_PAGE_SIZE.max) {
    throw new ValidationFailed([{ path: 'query.limit', message: `Expected a whole number from 1 to ${CUSTOMER_PAGE_SIZE.max}` }]);
  }
  const filter: PoolCustomerFilter = {
    ...(industry !== undefined ? { industry } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(level !== undefined ? { level } : {}),
  };
  return { filter, limit: size, cursor };
}

/** The filter as a FilterExpression (`#f0 = :f0 AND ...`), or none. */
export function poolCustomerFilterExpression(filter: PoolCustomerFilter): { expression?: string; names: Record<string, string>; values: Record<string, string> } {
  const entries = Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return {
    expression: entries.length ? entries.map((_, i) => `#f${i} = :f${i}`).join(' AND ') : undefined,
    names: Object.fromEntries(entries.map(([attribute], i) => [`#f${i}`, attribute])),
    values: Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
  };
}
