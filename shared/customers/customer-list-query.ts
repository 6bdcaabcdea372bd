import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { Forbidden, ValidationFailed } from '../errors';
import { fieldErrors } from '../field-errors';
import { keys, TABLE_INDEXES } from '../keys';
import { normalizeName } from './contact-points';
import { LIFECYCLE_STAGES, seesWholeTenant } from './customer';
import { email, phone, text } from './fields';

/**
 * GET /customers: which filters exist and how one request turns into one Query. Pure and free of
 * the AWS SDK, so the rules have their own tests and the OpenAPI bundle can import the schema.
 */

export const CUSTOMER_PAGE_SIZE = { default: 25, max: 100 } as const;

const isoTimestamp = z.iso.datetime({ offset: true });

export const listCustomersQuery = z.strictObject({
  owner: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_@.:-]{1,128}$/, 'Expected "me" or a user id'))),
  stage: z.optional(z.enum(LIFECYCLE_STAGES)),
  tag: z.optional(text(50)),
  updatedFrom: z.optional(isoTimestamp),
  updatedTo: z.optional(isoTimestamp),
  name: z.optional(text(200)),
  email: z.optional(email),
  phone: z.optional(phone),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, `Expected a whole number from 1 to ${CUSTOMER_PAGE_SIZE.max}`))),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
export type ListCustomersQuery = z.output<typeof listCustomersQuery>;

/** One exact lookup through a uniqueness guard: the value names at most one customer. */
export interface LookupPlan {
  kind: 'lookup';
  field: 'email' | 'phone';
  value: string;
  /** Applied to the one profile found. */
  filter: ProfileFilter;
}

/** One Query on a list index, the other filters as a FilterExpression. */
export interface QueryPlan {
  kind: 'query';
  index: (typeof TABLE_INDEXES)[keyof typeof TABLE_INDEXES];
  partition: string;
  /** A key condition on the index's sort key, when the index can serve one. */
  sortKey?: { op: 'begins_with' | 'between' | '>=' | '<='; values: string[] };
  newestFirst: boolean;
  limit: number;
  /** The name prefix is always the key when present, never a filter. */
  filter: Omit<ProfileFilter, 'namePrefix'>;
}

/** Conditions on profile attributes that the chosen key cannot express. */
export interface ProfileFilter {
  ownerId?: string;
  stage?: string;
  tag?: string;
  updatedFrom?: string;
  updatedTo?: string;
  namePrefix?: string;
  /** A manager's scope: customers of this team (none: no team) or without an owner. */
  managedTeam?: { teamId: string | null };
}

export type ListPlan = LookupPlan | QueryPlan;

/** Parses the query string; every problem names its parameter (`query.<name>`). */
export function parseListQuery(query: Record<string, string | undefined>): ListCustomersQuery {
  const present = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  const parsed = listCustomersQuery.safeParse(present);
  if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error).map((e) => ({ ...e, path: `query.${e.path}` })));
  const q = parsed.data;
  const errors = [];
  const limit = q.limit === undefined ? CUSTOMER_PAGE_SIZE.default : Number(q.limit);
  if (limit < 1 || limit > CUSTOMER_PAGE_SIZE.max) errors.push({ path: 'query.limit', message: `Expected a whole number from 1 to ${CUSTOMER_PAGE_SIZE.max}` });
  if (q.email !== undefined && q.phone !== undefined) errors.push({ path: 'query.phone', message: 'Look up by email or by phone, not both' });
  if (q.updatedFrom && q.updatedTo && Date.parse(q.updatedFrom) > Date.parse(q.updatedTo)) {
    errors.push({ path: 'query.updatedTo', message: 'Must not be before updatedFrom' });
  }
  if (q.name !== undefined && !normalizeName(q.name)) errors.push({ path: 'query.name', message: 'Needs at least one letter or digit' });
  if (errors.length) throw new ValidationFailed(errors);
  return q;
}

/** Timestamps compare as ISO strings in the index keys, so all of them are normalized to UTC `Z`. */
const utc = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso).toISOString());

/**
 * Picks the index that narrows the list most and leaves the rest to a filter:
 * exact email/phone (a guard) > name prefix (GSI3) > owner's book (GSI1) > stage (GSI5) > the tenant (GSI4).
 * A rep's list is always their own book: asking for someone else's answers 403. A manager's list
 * is filtered to their team and the unowned customers.
 */
export function planCustomerList(q: ListCustomersQuery, caller: Caller): ListPlan {
  const seesTenant = seesWholeTenant(caller);
  const isManager = !seesTenant && caller.groups.includes('manager');
  const requestedOwner = q.owner === 'me' ? caller.userId : q.owner;
  if (!seesTenant && !isManager) {
    if (!caller.groups.includes('rep')) throw new Forbidden('Your role does not list customers');
    if (requestedOwner !== undefined && requestedOwner !== caller.userId) throw new Forbidden("A rep lists their own customers; ask a manager for someone else's");
  }
  const ownerId = seesTenant || isManager ? requestedOwner : caller.userId;
  const filter: ProfileFilter = {
    ...(isManager ? { managedTeam: { teamId: caller.teamId ?? null } } : {}),
    ownerId,
    stage: q.stage,
    tag: q.tag,
    updatedFrom: utc(q.updatedFrom),
    updatedTo: utc(q.updatedTo),
    namePrefix: q.name === undefined ? undefined : normalizeName(q.name),
  };
  if (q.email !== undefined) return { kind: 'lookup', field: 'email', value: q.email, filter };
  if (q.phone !== undefined) return { kind: 'lookup', field: 'phone', value: q.phone, filter };

  const limit = q.limit === undefined ? CUSTOMER_PAGE_SIZE.default : Number(q.limit);
  if (filter.namePrefix !== undefined) {
    const { namePrefix, ...rest } = filter;
    return {
      kind: 'query',
      index: TABLE_INDEXES.gsi3,
      partition: keys.customerName(caller.tenantId, namePrefix, '').GSI3PK,
      sortKey: { op: 'begins_with', values: [namePrefix] },
      newestFirst: false,
      limit,
      filter: rest,
    };
  }
  const { updatedFrom, updatedTo, ...rest } = filter;
  const byUpdate = { sortKey: updatedRange(updatedFrom, updatedTo), newestFirst: true, limit };
  if (ownerId !== undefined) {
    const { ownerId: _owner, ...others } = rest;
    return { kind: 'query', index: TABLE_INDEXES.gsi1, partition: keys.ownerBook(caller.tenantId, ownerId).GSI1PK, ...byUpdate, filter: others };
  }
  if (rest.stage !== undefined) {
    const { stage, ...others } = rest;
    return { kind: 'query', index: TABLE_INDEXES.gsi5, partition: keys.customersInStage(caller.tenantId, stage).GSI5PK, ...byUpdate, filter: others };
  }
  return { kind: 'query', index: TABLE_INDEXES.gsi4, partition: keys.tenantCustomers(caller.tenantId).GSI4PK, ...byUpdate, filter: rest };
}

/**
 * The list indexes sort by `<updatedAt>#<id>`: `~` sorts after `#`, so `<to>~` includes every
 * customer updated at exactly `to`.
 */
function updatedRange(from: string | undefined, to: string | undefined): QueryPlan['sortKey'] {
  if (from !== undefined && to !== undefined) return { op: 'between', values: [from, `${to}~`] };
  if (from !== undefined) return { op: '>=', values: [from] };
  if (to !== undefined) return { op: '<=', values: [`${to}~`] };
  return undefined;
}

/** The same filter in memory, for the one profile an exact lookup finds. */
export function matchesFilter(
  profile: { ownerId: string | null; teamId: string | null; lifecycleStage: string; tags: string[]; updatedAt: string; name: string },
  filter: ProfileFilter,
): boolean {
  const { managedTeam } = filter;
  if (managedTeam && profile.ownerId !== null && (managedTeam.teamId === null || profile.teamId !== managedTeam.teamId)) return false;
  if (filter.ownerId !== undefined && profile.ownerId !== filter.ownerId) return false;
  if (filter.stage !== undefined && profile.lifecycleStage !== filter.stage) return false;
  if (filter.tag !== undefined && !profile.tags.includes(filter.tag)) return false;
  if (filter.updatedFrom !== undefined && profile.updatedAt < filter.updatedFrom) return false;
  if (filter.updatedTo !== undefined && profile.updatedAt > filter.updatedTo) return false;
  if (filter.namePrefix !== undefined && !normalizeName(profile.name).startsWith(filter.namePrefix)) return false;
  return true;
}
