import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import type { Activity } from '../activities/activity';
import { customFieldsBytes, type CustomFieldValues, MAX_CUSTOM_FIELDS_BYTES } from '../custom-fields/custom-field-values';
import { Forbidden, KindMismatch, MergeLimitExceeded, ValidationFailed } from '../errors';
import { type UniqueValue, uniqueValues } from './contact-points';
import { canWrite, type ConsentRecord, type Customer, MAX_EMAILS, MAX_PHONES, MAX_TAGS } from './customer';

/**
 * Merging two customers (POST /customers/{id}/merge): the pure rules. `{id}` is the survivor, the
 * body names the source, which becomes a tombstone pointing at the survivor. The repository
 * (customer-merge-repository.ts) writes what these functions decide.
 */

/** Request body of POST /customers/{id}/merge. */
export const mergeCustomersInput = z.strictObject({
  sourceId: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
});
export type MergeCustomersInput = z.output<typeof mergeCustomersInput>;

/** The activity type of the entries a merge writes on both timelines (never loggable by users). */
export const MERGE_ACTIVITY_TYPE = 'merge' as const;

/**
 * A customer is never merged into itself. The first refusal of a merge, before its If-Match is
 * read: the handler asks too, so the order of refusals is the same as when the use case read it.
 */
export function assertNotSelfMerge(survivorId: string, input: MergeCustomersInput): void {
  if (input.sourceId === survivorId) throw new ValidationFailed([{ path: 'sourceId', message: 'A customer cannot be merged into itself' }]);
}

/** Admins and managers merge any two customers of their tenant; a rep only two customers they own. */
export function canMerge(caller: Caller, survivor: Customer, source: Customer): boolean {
  return canWrite(caller, survivor) && canWrite(caller, source);
}

/** 403 for a caller who may not merge these two, 409 `kind-mismatch` for a company and a person. */
export function assertMergeable(caller: Caller, survivor: Customer, source: Customer): void {
  if (!canMerge(caller, survivor, source)) throw new Forbidden('Only an admin, a manager or a rep who owns both customers may merge them');
  if (survivor.kind !== source.kind) throw new KindMismatch(survivor.kind, source.kind);
}

const LIMITS = { emails: MAX_EMAILS, phones: MAX_PHONES, tags: MAX_TAGS } as const;

/** Key by key, the survivor's value wins; the union must still fit the per-customer size cap (409 otherwise). */
function mergeCustomFields(survivor: CustomFieldValues, source: CustomFieldValues): CustomFieldValues {
  const merged = { ...source, ...survivor };
  const bytes = customFieldsBytes(merged);
  if (bytes > MAX_CUSTOM_FIELDS_BYTES) throw new MergeLimitExceeded('bytes of customFields', MAX_CUSTOM_FIELDS_BYTES, bytes);
  return merged;
}

/** Both lists, survivor's first, without repeats; more than the field allows is a 409 naming the field. */
function union(field: keyof typeof LIMITS, survivor: string[], source: string[]): string[] {
  const all = [...new Set([...survivor, ...source])];
  if (all.length > LIMITS[field]) throw new MergeLimitExceeded(field, LIMITS[field], all.length);
  return all;
}

/** Per topic, the more recent answer wins (a tie keeps the survivor's): consent evidence is kept as recorded. */
export function mergeConsent(survivor: Record<string, ConsentRecord>, source: Record<string, ConsentRecord>): Record<string, ConsentRecord> {
  const merged = { ...survivor };
  for (const [topic, record] of Object.entries(source)) {
    const current = merged[topic];
    if (!current || record.at > current.at) merged[topic] = record;
  }
  return merged;
}

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || a >= b ? a : b);

/** Attributes that change with every merge, so naming them says nothing. */
const BOOKKEEPING: readonly (keyof Customer)[] = ['updatedAt', 'updatedBy', 'version'];

/** Derived from the deals (docs/pipeline.md), which move to the survivor with the source's records: not fields a user changed. */
const DEAL_FACTS: readonly (keyof Customer)[] = ['openDeals', 'lastOpenDealAt', 'lastWonDealAt', 'lastPurchaseAt'];

/** An unowned survivor takes the source's owner: the one change of owner a merge makes (docs/allocation.md). */
export const takesSourceOwner = (survivor: Customer, source: Customer) => survivor.ownerId === null && source.ownerId !== null;

/**
 * The survivor becomes the source owner's customer as the source was: same owner, team, lock and
 * assignment time, so the owner's counters do not move; out of its pool (which stays its home),
 * and the reclaim sweep looks at it at once.
 */
function ownerFromSource(survivor: Customer, source: Customer, nowIso: string): Partial<Customer> {
  return {
    ownerId: source.ownerId,
    teamId: source.teamId,
    poolId: null,
    homePoolId: survivor.poolId ?? survivor.homePoolId ?? source.homePoolId,
    assignedAt: source.assignedAt ?? nowIso,
    locked: source.locked,
    reclaimCheckAt: nowIso,
    warnedCycle: null,
  };
}

/**
 * The survivor after absorbing the source: emails, phones and tags are united (within their
 * limits), every field the survivor has set keeps its value and every empty one is filled from
 * the source (custom fields key by key), consent per topic keeps the more recent answer,
 * `lastFollowUpAt` the later one. A survivor in the pool takes the source's owner (and team). The
 * source's deals become the survivor's, so their facts add up (open deals) or take the later date.
 * The version always moves on: a merge is a change.
 */
export function mergeProfiles(survivor: Customer, source: Customer, caller: Caller, nowIso: string): { merged: Customer; changed: (keyof Customer)[] } {
  const merged: Customer = {
    ...survivor,
    emails: union('emails', survivor.emails, source.emails),
    phones: union('phones', survivor.phones, source.phones),
    tags: union('tags', survivor.tags, source.tags),
    website: survivor.website ?? source.website,
    domain: survivor.domain ?? source.domain,
    address: survivor.address ?? source.address,
    industry: survivor.industry ?? source.industry,
    region: survivor.region ?? source.region,
    level: survivor.level ?? source.level,
    source: survivor.source ?? source.source,
    ...(takesSourceOwner(survivor, source) ? ownerFromSource(survivor, source, nowIso) : {}),
    consent: mergeConsent(survivor.consent, source.consent),
    customFields: mergeCustomFields(survivor.customFields, source.customFields),
    lastFollowUpAt: later(survivor.lastFollowUpAt, source.lastFollowUpAt),
    openDeals: (survivor.openDeals ?? 0) + (source.openDeals ?? 0),
    lastOpenDealAt: later(survivor.lastOpenDealAt ?? null, source.lastOpenDealAt ?? null),
    lastWonDealAt: later(survivor.lastWonDealAt ?? null, source.lastWonDealAt ?? null),
    lastPurchaseAt: later(survivor.lastPurchaseAt ?? null, source.lastPurchaseAt ?? null),
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: survivor.version + 1,
  };
  const changed = (Object.keys(merged) as (keyof Customer)[]).filter(
    (f) => !BOOKKEEPING.includes(f) && !DEAL_FACTS.includes(f) && JSON.stringify(merged[f]) !== JSON.stringify(survivor[f]),
  );
  return { merged, changed };
}

export interface GuardPlan {
  /** The source's values the survivor now holds: their guards are re-pointed to it. */
  move: UniqueValue[];
  /** The source's values the survivor does not take (a company keeps its own domain): released. */
  release: UniqueValue[];
}

const valueKey = (u: UniqueValue) => `${u.field}:${u.value}`;

export function guardPlan(source: Customer, merged: Customer): GuardPlan {
  const kept = new Set(uniqueValues(merged).map(valueKey));
  const held = uniqueValues(source);
  return { move: held.filter((u) => kept.has(valueKey(u))), release: held.filter((u) => !kept.has(valueKey(u))) };
}

export interface MergeEntryPayload {
  survivorId: string;
  sourceId: string;
  /** Which side of the merge the timeline belongs to. */
  role: 'survivor' | 'source';
}

/** The entries on both timelines: what happened, by whom, naming the other customer. */
export function mergeEntries(survivor: Customer, source: Customer, caller: Caller, ids: { survivor: string; source: string }, nowIso: string) {
  const entry = (customerId: string, id: string, role: MergeEntryPayload['role'], subject: string): Activity => ({
    id,
    customerId,
    type: MERGE_ACTIVITY_TYPE,
    occurredAt: nowIso,
    subject,
    body: null,
    payload: { survivorId: survivor.id, sourceId: source.id, role } satisfies MergeEntryPayload,
    actor: { type: 'user', id: caller.userId },
    loggedAt: nowIso,
  });
  return {
    survivor: entry(survivor.id, ids.survivor, 'survivor', `Merged ${source.name} (${source.id}) into this customer`),
    source: entry(source.id, ids.source, 'source', `Merged into ${survivor.name} (${survivor.id})`),
  };
}

/** The source's own merge entry: it stays with the tombstone as the record of where the customer went. */
export function isTombstoneMergeEntry(item: Record<string, unknown>): boolean {
  const payload = item.payload as Partial<MergeEntryPayload> | null | undefined;
  return item.type === MERGE_ACTIVITY_TYPE && payload?.role === 'source';
}

/**
 * Items of the source partition that move to the survivor: every record of the customer's story
 * (activities, contacts, deals and whatever later issues add), not the profile (the tombstone),
 * not `$` bookkeeping (outbox, side-effect markers) and not the tombstone's merge entry.
 */
export function isMovableRecord(item: Record<string, unknown>): boolean {
  const sk = String(item.SK);
  return sk !== 'PROFILE' && !sk.startsWith('$') && !isTombstoneMergeEntry(item);
}

/** A record as it is written into the survivor's partition: same sort key, `customerId` rewritten where it has one. */
export function movedRecord(item: Record<string, unknown>, survivorPartition: string, survivorId: string): Record<string, unknown> {
  return { ...item, PK: survivorPartition, ...('customerId' in item ? { customerId: survivorId } : {}) };
}
