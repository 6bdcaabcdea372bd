import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { Forbidden, ValidationFailed } from '../errors';
import { fieldErrors } from '../field-errors';
import { DEAL_SK_PREFIX, keys, TABLE_INDEXES } from '../keys';
import { CLOSED_COLUMNS, type Pipeline } from '../pipelines/pipeline';
import { DEAL_STATUSES, type DealStatus } from './deal';

/**
 * GET /deals (docs/pipeline.md, "Deal lists"): which filters exist, who sees what, and how one
 * request turns into one Query. Pure and free of the AWS SDK, so the rules have their own tests.
 */

export const DEAL_PAGE_SIZE = { default: 25, max: 100 } as const;

const recordId = (what: string) => z.string().check(z.regex(/^[0-9A-Za-z]{1,64}$/, `Expected a ${what} id`));

export const listDealsQuery = z.strictObject({
  owner: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_@.:-]{1,128}$/, 'Expected "me" or a user id'))),
  /** Default `open`: every list is of one status (the owner index is partitioned by it). */
  status: z.optional(z.enum(DEAL_STATUSES)),
  pipelineId: z.optional(recordId('pipeline')),
  stageId: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'Expected a stage id'))),
  customerId: z.optional(recordId('customer')),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, `Expected a whole number from 1 to ${DEAL_PAGE_SIZE.max}`))),
  cursor: z.optional(z.string().check(z.maxLength(4096))),
});
export type ListDealsQuery = z.output<typeof listDealsQuery>;

/** Conditions on deal attributes that the chosen key does not express (a FilterExpression on the same Query). */
export interface DealFilter {
  status?: DealStatus;
  ownerId?: string;
  pipelineId?: string;
  stageId?: string;
  customerId?: string;
  /** A manager's scope: deals of this team (none: no team) or their own. */
  managedTeam?: { teamId: string | null; managerId: string };
}

/** Which list a page reads; `index` absent: the table itself (a customer's partition). */
export type DealListSource = 'owner' | 'customer' | 'column' | 'tenant';

export interface DealListPlan {
  source: DealListSource;
  index?: (typeof TABLE_INDEXES)[keyof typeof TABLE_INDEXES];
  /** The partition key value (of the index, or of the table). */
  partition: string;
  /** begins_with on the table's sort key (a customer's partition: its deals only). */
  skPrefix?: string;
  limit: number;
  filter: DealFilter;
}

/** Parses the query string; every problem names its parameter (`query.<name>`). */
export function parseDealListQuery(query: Record<string, string | undefined>): ListDealsQuery {
  const present = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  const parsed = listDealsQuery.safeParse(present);
  if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error).map((e) => ({ ...e, path: `query.${e.path}` })));
  const q = parsed.data;
  const errors = [];
  const limit = q.limit === undefined ? DEAL_PAGE_SIZE.default : Number(q.limit);
  if (limit < 1 || limit > DEAL_PAGE_SIZE.max) errors.push({ path: 'query.limit', message: `Expected a whole number from 1 to ${DEAL_PAGE_SIZE.max}` });
  // Stage ids are a pipeline's own (two pipelines may both have `proposal`).
  if (q.stageId !== undefined && q.pipelineId === undefined) errors.push({ path: 'query.pipelineId', message: 'stageId needs the pipelineId it belongs to' });
  if (errors.length) throw new ValidationFailed(errors);
  return q;
}

/**
 * Who sees which deals in a list (as the forecast): admins every deal; managers their own and
 * their team's (naming an owner outside it finds nothing, as in the customer list); everyone
 * else their own, and naming another owner is a 403.
 */
export function dealListScope(caller: Caller, owner: string | undefined): { ownerId?: string; managedTeam?: DealFilter['managedTeam'] } {
  const requested = owner === 'me' ? caller.userId : owner;
  if (isAdmin(caller)) return { ownerId: requested };
  if (caller.groups.includes('manager')) return { ownerId: requested, managedTeam: { teamId: caller.teamId ?? null, managerId: caller.userId } };
  if (requested !== undefined && requested !== caller.userId) throw new Forbidden("You list your own deals; ask a manager for someone else's");
  return { ownerId: caller.userId };
}

/**
 * Picks the list that narrows the request most and leaves the rest to a FilterExpression on the
 * same Query (one Query per page, whatever the filters):
 * owner (GSI5 `DEALOWNER#<owner>#<status>`) > customer (its partition, `DEAL#`) >
 * board column (GSI1, with `pipelineId` and a `stageId` or a closed status) > the tenant (GSI4, open and won only).
 * Lost deals have no tenant-wide entry (GSI4 is the forecast's and leaves them out), so a lost
 * list names an owner, a customer or a pipeline (400 at `query.status` otherwise).
 */
export function planDealList(q: ListDealsQuery, caller: Caller): DealListPlan {
  const status: DealStatus = q.status ?? 'open';
  const { ownerId, managedTeam } = dealListScope(caller, q.owner);
  const limit = q.limit === undefined ? DEAL_PAGE_SIZE.default : Number(q.limit);
  const tenantId = caller.tenantId;
  const rest = { pipelineId: q.pipelineId, stageId: q.stageId, customerId: q.customerId, ...(managedTeam ? { managedTeam } : {}) };
  if (ownerId !== undefined) {
    return { source: 'owner', index: TABLE_INDEXES.gsi5, partition: keys.dealsOfOwner(tenantId, ownerId, status).GSI5PK, limit, filter: rest };
  }
  if (q.customerId !== undefined) {
    const { customerId: _customer, ...others } = rest;
    return { source: 'customer', partition: keys.customerPartition(tenantId, q.customerId), skPrefix: DEAL_SK_PREFIX, limit, filter: { status, ...others } };
  }
  if (q.pipelineId !== undefined && (q.stageId !== undefined || status !== 'open')) {
    const column = status === 'won' ? CLOSED_COLUMNS.won : status === 'lost' ? CLOSED_COLUMNS.lost : `STAGE#${q.stageId}`;
    // An open column is its stage; a closed column keeps the stage the deals were closed from.
    const { pipelineId: _pipeline, stageId, ...others } = rest;
    return { source: 'column', index: TABLE_INDEXES.gsi1, partition: keys.boardColumn(tenantId, q.pipelineId, column).GSI1PK, limit, filter: { ...others, ...(status === 'open' ? {} : { stageId }) } };
  }
  if (status === 'lost') {
    throw new ValidationFailed([{ path: 'query.status', message: 'Lost deals are listed per owner, customer or pipeline: add owner, customerId or pipelineId' }]);
  }
  return { source: 'tenant', index: TABLE_INDEXES.gsi4, partition: keys.dealsByCloseDate(tenantId).GSI4PK, limit, filter: { status, ...rest } };
}

/** The same filter in memory: the last word on every item a page returns (and the unit tests' oracle). */
export function matchesDealFilter(deal: { status: string; ownerId: string | null; teamId: string | null; pipelineId: string; stageId: string; customerId: string }, filter: DealFilter): boolean {
  const { managedTeam } = filter;
  if (managedTeam && deal.ownerId !== managedTeam.managerId && (managedTeam.teamId === null || deal.teamId !== managedTeam.teamId)) return false;
  if (filter.status !== undefined && deal.status !== filter.status) return false;
  if (filter.ownerId !== undefined && deal.ownerId !== filter.ownerId) return false;
  if (filter.pipelineId !== undefined && deal.pipelineId !== filter.pipelineId) return false;
  if (filter.stageId !== undefined && deal.stageId !== filter.stageId) return false;
  if (filter.customerId !== undefined && deal.customerId !== filter.customerId) return false;
  return true;
}

/** The filter as a FilterExpression (evaluated after the key condition, before the page is returned). */
export function dealFilterExpression(filter: DealFilter): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const placeholder = (attribute: string, value: unknown) => {
    const i = Object.keys(values).length;
    names[`#f${i}`] = attribute;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  };
  for (const attribute of ['status', 'ownerId', 'pipelineId', 'stageId', 'customerId'] as const) {
    const value = filter[attribute];
    if (value !== undefined) parts.push(placeholder(attribute, value));
  }
  if (filter.managedTeam) {
    const own = placeholder('ownerId', filter.managedTeam.managerId);
    parts.push(filter.managedTeam.teamId === null ? own : `(${own} OR ${placeholder('teamId', filter.managedTeam.teamId)})`);
  }
  return { expression: parts.length ? parts.join(' AND ') : undefined, names, values };
}

/**
 * Every deal the caller may list (`GET /deals` with no filter, over all statuses), each deal in
 * exactly one plan, for an export: an owner's (a rep: their own) three status lists; otherwise
 * each pipeline's board columns, open stages (retiring ones too) and won and lost, the manager's
 * scope as a filter. No tenant-wide index holds lost deals, so the columns, not GSI4.
 */
export function everyDealPlans(caller: Caller, pipelines: readonly Pick<Pipeline, 'id' | 'stages' | 'retiring'>[], limit: number): DealListPlan[] {
  const { ownerId } = dealListScope(caller, undefined);
  const page = String(limit);
  if (ownerId !== undefined) return DEAL_STATUSES.map((status) => planDealList({ status, limit: page }, caller));
  return pipelines.flatMap((pipeline) => [
    ...[...pipeline.stages, ...(pipeline.retiring ?? [])].map((stage) => planDealList({ pipelineId: pipeline.id, stageId: stage.id, status: 'open', limit: page }, caller)),
    planDealList({ pipelineId: pipeline.id, status: 'won', limit: page }, caller),
    planDealList({ pipelineId: pipeline.id, status: 'lost', limit: page }, caller),
  ]);
}
