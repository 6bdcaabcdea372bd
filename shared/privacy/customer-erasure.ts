import { customerErasedV1 } from '../../events/customer-erased.v1';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { WELCOME_EMAIL_EFFECT } from '../customers/welcome-email-use-case';
import { CustomerMerged, CustomerNotFound, Forbidden } from '../errors';
import {
  ACTIVITY_SK_PREFIX,
  CASE_MESSAGE_SK_PREFIX,
  CASE_SK_PREFIX,
  DEAL_HISTORY_SK_PREFIX,
  DEAL_SK_PREFIX,
  INDEX_KEY_ATTRIBUTES,
  keys,
  MARKETING_SK_PREFIX,
  OUTBOX_SK_PREFIX,
  TASK_SK_PREFIX,
} from '../keys';
import { canRead, type Customer } from '../customers/customer';
import { MERGE_ACTIVITY_TYPE, type MergeEntryPayload } from '../customers/customer-merge';

/**
 * Erasure of a customer's personal data (GDPR art. 17, CCPA deletion): the rules, without I/O.
 * The repository (customer-erasure-repository.ts) applies them to the customer's partition.
 *
 * Principle: an item keeps only attributes listed here as anonymous; everything else goes,
 * including attributes added after this was written (custom fields, a new record kind). A new
 * kind of record that needs anonymous facts to survive erasure gets its own rule in `RULES`.
 */

/** Storage attributes every scrubbed item keeps: its keys (which hold ids only) and its kind. */
const STORAGE = ['PK', 'SK', 'entity'] as const;

/**
 * What an erased profile keeps: enough to count customers by kind, stage and creation day
 * ("aggregates kept anonymous"), to answer 410 and to tell who erased it and when. No name,
 * contact point, address, industry, region, source, tags, consent, owner or custom field, and no
 * index key, so the tombstone leaves every list (owner book, tenant, stage and name indexes).
 */
export const TOMBSTONE_ATTRIBUTES = [
  ...STORAGE, 'id', 'tenantId', 'kind', 'lifecycleStage', 'createdAt', 'version', 'erasedAt', 'erasedBy',
  /** A merged customer's pointer to its survivor (an id), kept so it still answers 410 `customer-merged`. */
  'mergedInto',
] as const;

/**
 * What an activity keeps: that something of a type happened at a time, logged by whom (a user
 * of the tenant or a system, not the data subject). Subject, body and payload are free text or
 * free-form JSON that cannot be proven anonymous, so they go.
 */
export const ACTIVITY_SKELETON_ATTRIBUTES = [...STORAGE, 'id', 'customerId', 'type', 'occurredAt', 'actor', 'loggedAt'] as const;

/** The ids and role of a merge entry's payload: what lets a repeated erasure still find the merged customers. */
const MERGE_PAYLOAD_ATTRIBUTES = ['survivorId', 'sourceId', 'role'] as const satisfies readonly (keyof MergeEntryPayload)[];

/**
 * What a side-effect marker keeps: that the effect happened (so a replayed `crm.customer.created.v1`
 * from the bus archive cannot send the welcome mail again), not its result (an SES message id,
 * a key into the mail provider's log).
 */
export const MARKER_ATTRIBUTES = [...STORAGE, 'status', 'claimedAt'] as const;

/**
 * What a deal keeps (docs/pipeline.md): ids, stage, status, amount, dates and owner, which describe
 * the seller's business rather than the person, with its index keys, so the board aggregates and
 * the forecast stay right. The name and the close reason are free text and go.
 */
export const DEAL_ANONYMOUS_ATTRIBUTES = [
  ...STORAGE, 'id', 'tenantId', 'customerId', 'pipelineId', 'stageId', 'status', 'amountMinor', 'currency', 'expectedCloseDate', 'ownerId', 'teamId',
  'closedAt', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version', ...INDEX_KEY_ATTRIBUTES,
] as const;

/**
 * What a service case keeps (docs/service.md): its ids, labels, status and times, which make the
 * service figures (volumes, first response, resolution time per agent), and the key that finds it
 * by id; not its subject, description or requester address, and no place in an agent's list or the
 * queue: nobody can work it any more (an active one is closed).
 */
export const CASE_ANONYMOUS_ATTRIBUTES = [
  ...STORAGE, 'id', 'tenantId', 'customerId', 'priority', 'category', 'channel', 'status', 'assigneeId', 'messageCount', 'lastMessageAt', 'firstResponseAt', 'resolvedAt',
  'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version', 'GSI3PK', 'GSI3SK',
  // After-sales: which order (and which of its lines) a case was about is ids and catalogue data, as the order itself keeps.
  'orderId', 'orderLines',
] as const;

/** A deal's stage history entry holds ids, stages and times only: it stays as it is. */
export const DEAL_HISTORY_ATTRIBUTES = [...STORAGE, 'id', 'dealId', 'customerId', 'from', 'to', 'actor', 'at'] as const;

/**
 * Side effects a consumer may still perform for the customer from an event that predates the
 * erasure (a flow retrying for hours, a replay of the bus archive, a dead-letter redrive). Erasure
 * claims their markers (`$DONE#<effect>`, the consumers' own idempotency) where none exists yet,
 * so the effect never happens: the erased person is not mailed.
 */
export const SUPPRESSED_EFFECTS = [WELCOME_EMAIL_EFFECT] as const;

/** The marker that makes an effect look done to its consumer. */
export function suppressionMarker(tenantId: string, customerId: string, effect: string, nowIso: string): Record<string, unknown> {
  return { ...keys.sideEffect(keys.customerPartition(tenantId, customerId), effect), entity: 'SideEffect', status: 'suppressed', claimedAt: nowIso };
}

export type ScrubAction = { action: 'keep' } | { action: 'delete' } | { action: 'replace'; item: Record<string, unknown> };

type Rule = { match: (sk: string) => boolean; scrub: (item: Record<string, unknown>) => ScrubAction };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The listed attributes that hold a value (a null says nothing and is dropped too). */
const pick = (item: Record<string, unknown>, keep: readonly string[]) =>
  Object.fromEntries(Object.entries(item).filter(([name, value]) => keep.includes(name) && value !== null && value !== undefined));

/** Attribute names, nested ones included: a scrubbed item only ever loses attributes, so equal names mean nothing to do. */
const shape = (item: Record<string, unknown>): string[] =>
  Object.entries(item).flatMap(([name, value]) => (isRecord(value) ? [name, ...shape(value).map((inner) => `${name}.${inner}`)] : [name])).sort();

const outcome = (item: Record<string, unknown>, kept: Record<string, unknown>): ScrubAction =>
  JSON.stringify(shape(kept)) === JSON.stringify(shape(item)) ? { action: 'keep' } : { action: 'replace', item: kept };

const project = (item: Record<string, unknown>, keep: readonly string[]): ScrubAction => outcome(item, pick(item, keep));

/** The skeleton of an activity; a merge entry also keeps the ids in its payload (and only its string-valued ids). */
function scrubActivity(item: Record<string, unknown>): ScrubAction {
  const kept = pick(item, ACTIVITY_SKELETON_ATTRIBUTES);
  if (item.type === MERGE_ACTIVITY_TYPE && isRecord(item.payload)) {
    const ids = Object.fromEntries(Object.entries(pick(item.payload, MERGE_PAYLOAD_ATTRIBUTES)).filter(([, value]) => typeof value === 'string'));
    kept.payload = ids;
  }
  return outcome(item, kept);
}

/** Rules by sort key, first match wins; the last one catches every kind not known here. */
const RULES: readonly Rule[] = [
  { match: (sk) => sk === 'PROFILE', scrub: (item) => project(item, TOMBSTONE_ATTRIBUTES) },
  // Contacts are people: nothing about them is anonymous.
  { match: (sk) => sk.startsWith('CONTACT#'), scrub: () => ({ action: 'delete' }) },
  { match: (sk) => sk.startsWith(ACTIVITY_SK_PREFIX), scrub: scrubActivity },
  // Outbox items were published from the stream when written; the table copies are only kept for
  // export. Older events carry names and emails (created); the erasure event carries none and stays.
  {
    match: (sk) => sk.startsWith(OUTBOX_SK_PREFIX),
    scrub: (item) => (item.detailType === customerErasedV1.detailType ? { action: 'keep' } : { action: 'delete' }),
  },
  { match: (sk) => sk.startsWith('$DONE#'), scrub: (item) => project(item, MARKER_ATTRIBUTES) },
  // Deals keep their numbers and index keys (board and forecast still add them up), not their name or close reason.
  { match: (sk) => sk.startsWith(DEAL_SK_PREFIX), scrub: (item) => project(item, DEAL_ANONYMOUS_ATTRIBUTES) },
  { match: (sk) => sk.startsWith(DEAL_HISTORY_SK_PREFIX), scrub: (item) => project(item, DEAL_HISTORY_ATTRIBUTES) },
  // Tasks are reps' notes about the person (titles, descriptions, outcomes), due for nobody now:
  // they go, and with them their places in the assignees' lists and the reminder index.
  { match: (sk) => sk.startsWith(TASK_SK_PREFIX), scrub: () => ({ action: 'delete' }) },
  // A case keeps its anonymous skeleton, closed if it was still being worked; its thread (the
  // person's own words and the replies to them) goes.
  {
    match: (sk) => sk.startsWith(CASE_SK_PREFIX),
    scrub: (item) => {
      const kept = pick(item, CASE_ANONYMOUS_ATTRIBUTES);
      if (['new', 'open', 'pending-customer'].includes(String(kept.status))) kept.status = 'closed';
      return outcome(item, kept);
    },
  },
  { match: (sk) => sk.startsWith(CASE_MESSAGE_SK_PREFIX), scrub: () => ({ action: 'delete' }) },
  // Marketing bookkeeping (send times for the frequency cap, the offer lock) only steers future mails,
  // and an erased customer gets none: nothing of it is worth keeping.
  { match: (sk) => sk.startsWith(MARKETING_SK_PREFIX), scrub: () => ({ action: 'delete' }) },
  // Anything else (deals, ownership history... as later issues add them): keys and kind only, until
  // its issue declares which of its attributes are anonymous.
  { match: () => true, scrub: (item) => project(item, STORAGE) },
];

/**
 * What erasure does to one item of the customer's partition. Idempotent: the scrub of a scrubbed
 * item is `keep`, so a repeated erasure rewrites only what was added or missed since.
 */
export function scrub(item: Record<string, unknown>): ScrubAction {
  const sk = String(item.SK);
  return RULES.find((rule) => rule.match(sk))!.scrub(item);
}

/**
 * The customer merged into this one that a merge entry of this partition names, if the item is
 * such an entry: erasing a survivor erases the customers merged into it too, since their
 * tombstones and partitions still hold the same person's data.
 */
export function mergedSourceOf(item: Record<string, unknown>): string | undefined {
  if (!String(item.SK).startsWith(ACTIVITY_SK_PREFIX) || item.type !== MERGE_ACTIVITY_TYPE || !isRecord(item.payload)) return undefined;
  const { role, sourceId, survivorId } = item.payload;
  return role === 'survivor' && typeof sourceId === 'string' && sourceId !== '' && sourceId !== survivorId ? sourceId : undefined;
}

/**
 * The anonymous tombstone that replaces the profile (a whole-item Put, so no attribute the
 * writer does not know about can survive).
 */
export function erasedProfile(customer: Customer, caller: Caller, nowIso: string): Record<string, unknown> {
  return {
    ...keys.customer(customer.tenantId, customer.id),
    entity: 'Customer',
    id: customer.id,
    tenantId: customer.tenantId,
    kind: customer.kind,
    lifecycleStage: customer.lifecycleStage,
    createdAt: customer.createdAt,
    version: customer.version + 1,
    erasedAt: nowIso,
    erasedBy: caller.userId,
    ...(customer.mergedInto ? { mergedInto: customer.mergedInto } : {}),
  } satisfies Partial<Record<(typeof TOMBSTONE_ATTRIBUTES)[number], unknown>>;
}

/**
 * The email addresses an item of the partition still holds (a live profile, a contact): erasure
 * takes them out of the tenant's suppression list entries, which then keep suppressing by hash
 * only (docs/privacy.md). A tombstone holds none.
 */
export function addressesHeldBy(item: Record<string, unknown>): string[] {
  const sk = String(item.SK ?? '');
  if (sk !== 'PROFILE' && !sk.startsWith('CONTACT#')) return [];
  return Array.isArray(item.emails) ? item.emails.filter((e): e is string => typeof e === 'string') : [];
}

/** The data of `crm.customer.erased.v1`: ids and time only (the actor is in the envelope). */
export function erasedEventData(customerId: string, erasedAt: string) {
  return { customerId, erasedAt };
}

/**
 * Who may erase: a privacy request is handled by the tenant's admin, not by the rep. A customer
 * the caller cannot even read answers 404 like everywhere else; a merged customer answers 410
 * naming the survivor, which holds the data now and is the one to erase (erasing it erases the
 * customers merged into it as well). An erased customer passes (the caller finishes any
 * unfinished scrubbing).
 */
export function authorizeErasure(caller: Caller, customer: Customer | undefined, customerId: string): asserts customer is Customer {
  if (!customer || !canRead(caller, customer)) throw new CustomerNotFound(customerId);
  if (!isAdmin(caller)) throw new Forbidden('Only an admin may erase a customer (a privacy request is handled by the tenant)');
  if (customer.mergedInto) throw new CustomerMerged(customer.id, customer.mergedInto);
}
