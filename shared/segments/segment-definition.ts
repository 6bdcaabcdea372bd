import * as z from 'zod/mini';
import type { Contact } from '../contacts/contact';
import type { CustomFieldDefinition } from '../custom-fields/custom-field-definition';
import { CUSTOMER_KINDS, type Customer, LIFECYCLE_STAGES } from '../customers/customer';
import { consentTopic, text } from '../customers/fields';
import type { FieldError } from '../errors';
import { keys, TABLE_INDEXES } from '../keys';
import { LEAD_STATUSES, type Lead } from '../leads/lead';

/**
 * A segment is a saved filter over customer attributes (docs/marketing.md). Every criterion is
 * optional and they combine with AND; lists inside one criterion mean "any of". Pure: the schema,
 * the matcher and the choice of index have their own tests.
 */

const DAY_MS = 86_400_000;
const isoTimestamp = z.iso.datetime({ offset: true });
const days = z.int().check(z.minimum(1), z.maximum(3650));
const anyOf = <T extends z.ZodMiniType>(item: T, max = 50) => z.array(item).check(z.minLength(1), z.maxLength(max));
const id = z.string().check(z.regex(/^[A-Za-z0-9_@.:-]{1,128}$/, 'Expected an id'));

/**
 * A time range, absolute (`after`, `before`) and/or relative to the evaluation (`withinDays`: at
 * most N days ago; `notWithinDays`: more than N days ago). A customer without a value matches only
 * with `never: true`, which alone means "never".
 */
export const timeRange = z.strictObject({
  after: z.optional(isoTimestamp),
  before: z.optional(isoTimestamp),
  withinDays: z.optional(days),
  notWithinDays: z.optional(days),
  never: z.optional(z.boolean()),
});
export type TimeRange = z.output<typeof timeRange>;

const scalar = z.union([z.string().check(z.maxLength(2048)), z.number(), z.boolean()]);

/** A condition on one custom field; which operators fit depends on the field's type (checked against the definition). */
export const customFieldCondition = z.strictObject({
  equals: z.optional(scalar),
  anyOf: z.optional(anyOf(z.union([z.string().check(z.maxLength(2048)), z.number()]), 100)),
  min: z.optional(z.union([z.number(), z.string().check(z.maxLength(40))])),
  max: z.optional(z.union([z.number(), z.string().check(z.maxLength(40))])),
  exists: z.optional(z.boolean()),
});
export type CustomFieldCondition = z.output<typeof customFieldCondition>;

export const segmentDefinition = z.strictObject({
  lifecycleStages: z.optional(anyOf(z.enum(LIFECYCLE_STAGES), LIFECYCLE_STAGES.length)),
  kinds: z.optional(anyOf(z.enum(CUSTOMER_KINDS), CUSTOMER_KINDS.length)),
  ownerIds: z.optional(anyOf(id, 20)),
  poolIds: z.optional(anyOf(id, 20)),
  tags: z.optional(z.strictObject({ any: z.optional(anyOf(text(50))), all: z.optional(anyOf(text(50))) })),
  industries: z.optional(anyOf(text(100))),
  regions: z.optional(anyOf(text(100))),
  levels: z.optional(anyOf(text(16))),
  /** Topics the customer has granted (all of them): `["newsletter"]`. */
  consentGranted: z.optional(anyOf(consentTopic(), 10)),
  /** The customer's last logged follow-up (`lastFollowUpAt`: a user's note, call, email, meeting or visit). */
  lastActivityAt: z.optional(timeRange),
  /** The customer's last won deal (`lastWonDealAt`, kept by every deal write). */
  lastPurchaseAt: z.optional(timeRange),
  /** Custom field key -> condition; keys must be defined for the tenant's customers. */
  customFields: z.optional(z.record(z.string().check(z.maxLength(40)), customFieldCondition)),
  /** Leads audience: the leads' statuses (the nurture list is `nurture`); default the open ones. */
  leadStatuses: z.optional(anyOf(z.enum(LEAD_STATUSES), LEAD_STATUSES.length)),
  /** Leads audience: where the lead came from (its `source`). */
  sources: z.optional(anyOf(text(100))),
});
export type SegmentDefinition = z.output<typeof segmentDefinition>;

/**
 * Who a segment selects (docs/marketing.md, "Segments"): customers (their profiles), contacts (the
 * people at company customers, each mailed under their own consent), or leads (the people not yet
 * customers, the nurture list among them).
 */
export const SEGMENT_AUDIENCES = ['customers', 'contacts', 'leads'] as const;
export type SegmentAudience = (typeof SEGMENT_AUDIENCES)[number];

const CUSTOMER_CRITERIA = ['lifecycleStages', 'kinds', 'ownerIds', 'poolIds', 'tags', 'industries', 'regions', 'levels', 'consentGranted', 'lastActivityAt', 'lastPurchaseAt', 'customFields'] as const;

/**
 * The criteria each audience has: a lead has no lifecycle stage, tags or pool, a customer no lead
 * status. A contacts segment takes the customer criteria, applied to the contact's company, but not
 * `kinds`: its companies are company customers by definition, so any other kind would select nobody.
 */
export const CRITERIA_OF_AUDIENCE: Record<SegmentAudience, readonly (keyof SegmentDefinition)[]> = {
  customers: CUSTOMER_CRITERIA,
  contacts: CUSTOMER_CRITERIA.filter((c) => c !== 'kinds'),
  leads: ['leadStatuses', 'sources', 'ownerIds', 'industries', 'regions', 'consentGranted'],
};

/** Criteria the segment's audience does not have, each named (`definition.<criterion>`). */
export function checkAudienceCriteria(audience: SegmentAudience, definition: SegmentDefinition): FieldError[] {
  const allowed = CRITERIA_OF_AUDIENCE[audience];
  return (Object.keys(definition) as (keyof SegmentDefinition)[])
    .filter((criterion) => definition[criterion] !== undefined && !allowed.includes(criterion))
    .map((criterion) => ({ path: `definition.${criterion}`, message: `Not a criterion of a ${audience} segment: use ${allowed.join(', ')}` }));
}

/** Operators each custom field type supports, and what their values must be. */
const OPERATORS: Record<CustomFieldDefinition['type'], { ops: readonly (keyof CustomFieldCondition)[]; value: 'string' | 'number' | 'boolean' }> = {
  text: { ops: ['equals', 'anyOf', 'exists'], value: 'string' },
  url: { ops: ['equals', 'anyOf', 'exists'], value: 'string' },
  email: { ops: ['equals', 'anyOf', 'exists'], value: 'string' },
  select: { ops: ['equals', 'anyOf', 'exists'], value: 'string' },
  multiselect: { ops: ['equals', 'anyOf', 'exists'], value: 'string' },
  number: { ops: ['equals', 'anyOf', 'min', 'max', 'exists'], value: 'number' },
  date: { ops: ['equals', 'anyOf', 'min', 'max', 'exists'], value: 'string' },
  datetime: { ops: ['min', 'max', 'exists'], value: 'string' },
  boolean: { ops: ['equals', 'exists'], value: 'boolean' },
};

/** Checks the custom field conditions against the tenant's definitions; errors name `definition.customFields.<key>`. */
export function checkCustomFieldConditions(definition: SegmentDefinition, fields: readonly CustomFieldDefinition[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, condition] of Object.entries(definition.customFields ?? {})) {
    const path = `definition.customFields.${key}`;
    const field = fields.find((f) => f.key === key);
    if (!field) {
      errors.push({ path, message: 'No custom field with this key is defined for customers' });
      continue;
    }
    const { ops, value } = OPERATORS[field.type];
    const used = Object.keys(condition) as (keyof CustomFieldCondition)[];
    const unsupported = used.filter((op) => !ops.includes(op));
    const values = [condition.equals, condition.min, condition.max, ...(condition.anyOf ?? [])].filter((v) => v !== undefined);
    // One error per field: the first thing to fix.
    if (used.length === 0) errors.push({ path, message: `Give a condition: ${ops.join(', ')}` });
    else if (unsupported.length) errors.push({ path, message: `A ${field.type} field supports ${ops.join(', ')}, not ${unsupported.join(', ')}` });
    else if (values.some((v) => typeof v !== value)) errors.push({ path, message: `Values of a ${field.type} field are ${value}s` });
  }
  return errors;
}

function inRange(value: string | null | undefined, range: TimeRange | undefined, nowMs: number): boolean {
  if (!range) return true;
  if (value === null || value === undefined) return range.never === true;
  const bounds = [range.after, range.before, range.withinDays, range.notWithinDays].some((b) => b !== undefined);
  if (!bounds) return range.never !== true;
  const at = Date.parse(value);
  if (range.after !== undefined && at < Date.parse(range.after)) return false;
  if (range.before !== undefined && at > Date.parse(range.before)) return false;
  if (range.withinDays !== undefined && at < nowMs - range.withinDays * DAY_MS) return false;
  if (range.notWithinDays !== undefined && at >= nowMs - range.notWithinDays * DAY_MS) return false;
  return true;
}

function matchesCustomField(value: unknown, condition: CustomFieldCondition): boolean {
  const present = value !== undefined && value !== null;
  if (condition.exists !== undefined && condition.exists !== present) return false;
  const rest = [condition.equals, condition.anyOf, condition.min, condition.max].some((c) => c !== undefined);
  if (!rest) return true;
  if (!present) return false;
  // A multiselect holds a list: `equals` means it contains the value, `anyOf` that they share one.
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (condition.equals !== undefined && !values.includes(condition.equals)) return false;
  if (condition.anyOf !== undefined && !values.some((v) => (condition.anyOf as unknown[]).includes(v))) return false;
  if (condition.min !== undefined && !(typeof value === typeof condition.min && (value as number | string) >= condition.min)) return false;
  if (condition.max !== undefined && !(typeof value === typeof condition.max && (value as number | string) <= condition.max)) return false;
  return true;
}

/** A partition listed twice would count its customers twice. */
const unique = (values: string[]) => [...new Set(values)];

const oneOf = <T>(list: readonly T[] | undefined, value: T | null) => list === undefined || (value !== null && list.includes(value));

/** Whether a live customer is in the segment at `nowIso` (relative ranges count back from it). */
export function matchesSegment(customer: Customer, definition: SegmentDefinition, nowIso: string): boolean {
  const nowMs = Date.parse(nowIso);
  const { tags } = definition;
  return (
    oneOf(definition.lifecycleStages, customer.lifecycleStage) &&
    oneOf(definition.kinds, customer.kind) &&
    oneOf(definition.ownerIds, customer.ownerId) &&
    oneOf(definition.poolIds, customer.poolId) &&
    oneOf(definition.industries, customer.industry) &&
    oneOf(definition.regions, customer.region) &&
    oneOf(definition.levels, customer.level) &&
    (tags?.any === undefined || tags.any.some((t) => customer.tags.includes(t))) &&
    (tags?.all === undefined || tags.all.every((t) => customer.tags.includes(t))) &&
    (definition.consentGranted ?? []).every((topic) => customer.consent[topic]?.granted === true) &&
    inRange(customer.lastFollowUpAt, definition.lastActivityAt, nowMs) &&
    inRange(customer.lastPurchaseAt ?? null, definition.lastPurchaseAt, nowMs) &&
    Object.entries(definition.customFields ?? {}).every(([key, condition]) => matchesCustomField(customer.customFields[key], condition))
  );
}

/** Which index partitions hold every member the segment can match: read one after the other. */
export interface SegmentPlan {
  index: (typeof TABLE_INDEXES)[keyof typeof TABLE_INDEXES];
  partitions: string[];
  /** Whom the segment selects; a contacts plan lists customer profiles and reads each matching company's contacts. */
  members: SegmentAudience;
}

/**
 * The narrowest key the definition allows: owners' books (GSI1), else pools' books (GSI1), else
 * stage lists (GSI5), else the tenant's list (GSI4). Every other criterion is the matcher's. Reads
 * are bounded by the tenant's customers in those partitions, never by the table.
 */
export function planSegment(definition: SegmentDefinition, tenantId: string, audience: SegmentAudience = 'customers'): SegmentPlan {
  if (audience === 'leads') {
    return { index: TABLE_INDEXES.gsi5, partitions: unique((definition.leadStatuses ?? OPEN_LEAD_STATUSES).map((s) => keys.leadsInStatus(tenantId, s).GSI5PK)), members: 'leads' };
  }
  // Contacts are read from their companies' partitions: the companies come from the customers' plan.
  const members = audience;
  if (definition.ownerIds) return { index: TABLE_INDEXES.gsi1, partitions: unique(definition.ownerIds.map((o) => keys.ownerBook(tenantId, o).GSI1PK)), members };
  if (definition.poolIds) return { index: TABLE_INDEXES.gsi1, partitions: unique(definition.poolIds.map((p) => keys.poolBook(tenantId, p).GSI1PK)), members };
  if (definition.lifecycleStages) {
    return { index: TABLE_INDEXES.gsi5, partitions: unique(definition.lifecycleStages.map((s) => keys.customersInStage(tenantId, s).GSI5PK)), members };
  }
  return { index: TABLE_INDEXES.gsi4, partitions: [keys.tenantCustomers(tenantId).GSI4PK], members };
}

/**
 * Whether a company's contacts can be in a contacts segment: it is a company customer and matches
 * every criterion but consent, which is each contact's own. Checked before its contacts are read,
 * so a company that fails it costs no Query.
 */
export function matchesContactCompany(company: Customer, definition: SegmentDefinition, nowIso: string): boolean {
  const { consentGranted: _contactsOwn, ...companyCriteria } = definition;
  return company.kind === 'company' && matchesSegment(company, companyCriteria, nowIso);
}

/** Whether a contact of a matching company is in the segment: an address to mail and its own consent to every topic named. */
export function matchesContact(contact: Contact, definition: SegmentDefinition): boolean {
  return contact.emails.length > 0 && (definition.consentGranted ?? []).every((topic) => contact.consent[topic]?.granted === true);
}

/** A leads segment without `leadStatuses` reads the open ones: not disqualified, not converted. */
export const OPEN_LEAD_STATUSES = ['new', 'nurture', 'mql', 'sql'] as const;

/** Whether a lead is in a leads segment (its status is the plan's partition; the rest is checked here). */
export function matchesLeadSegment(lead: Lead, definition: SegmentDefinition): boolean {
  return (
    oneOf(definition.leadStatuses, lead.status) &&
    oneOf(definition.sources, lead.source) &&
    oneOf(definition.ownerIds, lead.ownerId) &&
    oneOf(definition.industries, lead.industry) &&
    oneOf(definition.regions, lead.region) &&
    (definition.consentGranted ?? []).every((topic) => lead.consent?.[topic]?.granted === true)
  );
}
