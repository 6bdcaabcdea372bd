import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { CustomerErased, CustomerMerged } from '../errors';
import { type CustomFieldValues, customFieldsInput, mergeCustomFields } from '../custom-fields/custom-field-values';
import { normalizeDomain } from './contact-points';
import { consentInput, consentRecords, type ConsentRecord, domain, email, phone, text, website } from './fields';

export const CUSTOMER_KINDS = ['company', 'person'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

/** HubSpot-style lifecycle (DESIGN.md section 6); a change of stage is its own event. */
export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Transactions hold at most 100 items: these caps keep profile + guards + events well inside. */
export const MAX_EMAILS = 10;
export const MAX_PHONES = 10;
export const MAX_TAGS = 50;

export const addressSchema = z.strictObject({
  street: z.optional(text(200)),
  city: z.optional(text(100)),
  postalCode: z.optional(text(20)),
  region: z.optional(text(100)),
  country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 code such as DE'))),
});

const tags = z.array(text(50)).check(z.maxLength(MAX_TAGS));

/** The fields a client may set, shared by create and update. */
const editableFields = {
  name: text(200),
  emails: z.array(email).check(z.maxLength(MAX_EMAILS)),
  phones: z.array(phone).check(z.maxLength(MAX_PHONES)),
  website,
  domain,
  address: addressSchema,
  industry: text(100),
  region: text(100),
  level: text(16),
  lifecycleStage: z.enum(LIFECYCLE_STAGES),
  source: text(100),
  tags,
  /** Checked against the tenant's definitions by the use case (types are per tenant). */
  customFields: customFieldsInput,
};

/** Request body of POST /customers. Unknown fields are rejected by name. */
export const createCustomerInput = z.strictObject({
  kind: z.optional(z.enum(CUSTOMER_KINDS)),
  name: editableFields.name,
  emails: z.optional(editableFields.emails),
  phones: z.optional(editableFields.phones),
  website: z.optional(editableFields.website),
  domain: z.optional(editableFields.domain),
  address: z.optional(editableFields.address),
  industry: z.optional(editableFields.industry),
  region: z.optional(editableFields.region),
  level: z.optional(editableFields.level),
  lifecycleStage: z.optional(editableFields.lifecycleStage),
  source: z.optional(editableFields.source),
  tags: z.optional(editableFields.tags),
  consent: z.optional(consentInput),
  customFields: z.optional(editableFields.customFields),
});
export type CreateCustomerInput = z.output<typeof createCustomerInput>;

/**
 * Request body of PATCH /customers/{id}, JSON Merge Patch (RFC 7396): a field present replaces
 * the stored value, `null` clears an optional field, a missing field stays as it is. Consent
 * topics merge one by one. `name` and `kind` cannot be cleared.
 */
export const customerPatch = z.strictObject({
  name: z.optional(editableFields.name),
  emails: z.optional(z.nullable(editableFields.emails)),
  phones: z.optional(z.nullable(editableFields.phones)),
  website: z.optional(z.nullable(editableFields.website)),
  domain: z.optional(z.nullable(editableFields.domain)),
  address: z.optional(z.nullable(editableFields.address)),
  industry: z.optional(z.nullable(editableFields.industry)),
  region: z.optional(z.nullable(editableFields.region)),
  level: z.optional(z.nullable(editableFields.level)),
  lifecycleStage: z.optional(editableFields.lifecycleStage),
  source: z.optional(z.nullable(editableFields.source)),
  tags: z.optional(z.nullable(editableFields.tags)),
  consent: z.optional(consentInput),
  /** Merges per key: a key present replaces its value, `null` removes it, missing keys stay. */
  customFields: z.optional(editableFields.customFields),
});
export type CustomerPatch = z.output<typeof customerPatch>;

export type Address = z.output<typeof addressSchema>;
export type { ConsentRecord };

export interface Customer {
  id: string;
  tenantId: string;
  kind: CustomerKind;
  name: string;
  emails: string[];
  phones: string[];
  website: string | null;
  /** The company's web domain (unique per tenant); persons have none. */
  domain: string | null;
  address: Address | null;
  industry: string | null;
  region: string | null;
  level: string | null;
  lifecycleStage: LifecycleStage;
  source: string | null;
  tags: string[];
  ownerId: string | null;
  /** The owner's sales team, copied when the owner is set, so a manager's access check needs no extra read. */
  teamId: string | null;
  consent: Record<string, ConsentRecord>;
  /** Values of the tenant's custom fields (shared/custom-fields), by key. */
  customFields: CustomFieldValues;
  /** When a user last logged a follow-up (call, meeting...): the reclaim rules read it. */
  lastFollowUpAt: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  /** Set when this customer was merged into another: the record is a pointer to the survivor. */
  mergedInto: string | null;
  /** Set when the customer's personal data was erased: the record is an anonymous tombstone. */
  erasedAt: string | null;
  /** Allocation (docs/allocation.md): the pool an unowned customer waits in; null while owned or unassigned. */
  poolId: string | null;
  /** The pool whose policy governs this customer (where it was claimed from or routed to); null until routed. */
  homePoolId: string | null;
  /** When the current owner got the customer (creation by a rep, claim, assignment). */
  assignedAt: string | null;
  /** A locked customer is exempt from reclaim (if its policy says so). */
  locked: boolean;
  /** Who owned it last, and when they let go: the re-claim cooldown reads both. */
  previousOwnerId: string | null;
  releasedAt: string | null;
  /**
   * When the reclaim sweep looks at this customer next (a warning or a reclaim may be due); null:
   * never. Writes that may bring the deadline forward set it to now; the sweep computes the exact time.
   */
  reclaimCheckAt: string | null;
  /** The reclaim cycle whose warning the owner already got (reclaimCycleId), so it is sent once. */
  warnedCycle: string | null;
  /**
   * Deal facts for the reclaim rules (docs/pipeline.md), maintained by every deal write in its
   * transaction: open deals now, when an open deal last closed, when a deal was last won.
   */
  openDeals?: number;
  lastOpenDealAt?: string | null;
  lastWonDealAt?: string | null;
  /** When the customer last placed an order (docs/processes.md, "Orders"); segments' `lastPurchaseAt` reads it. */
  lastPurchaseAt?: string | null;
}

/** The allocation fields of a customer nobody has touched yet. */
export function unallocated(): Pick<Customer, 'poolId' | 'homePoolId' | 'assignedAt' | 'locked' | 'previousOwnerId' | 'releasedAt' | 'reclaimCheckAt' | 'warnedCycle'> {
  return { poolId: null, homePoolId: null, assignedAt: null, locked: false, previousOwnerId: null, releasedAt: null, reclaimCheckAt: null, warnedCycle: null };
}

/** Fields compared to tell what an update changed (the event names them). */
export const TRACKED_FIELDS = [
  'name', 'emails', 'phones', 'website', 'domain', 'address', 'industry', 'region', 'level', 'lifecycleStage', 'source', 'tags', 'consent', 'customFields',
] as const satisfies readonly (keyof Customer)[];
export type TrackedField = (typeof TRACKED_FIELDS)[number];

const unique = <T>(values: T[]) => [...new Set(values)];

/** A company's domain: explicit, else its website's. Persons have none (their email domain is their provider's). */
function companyDomain(kind: CustomerKind, domainValue: string | null | undefined, website: string | null | undefined): string | null {
  if (kind !== 'company') return null;
  return domainValue ?? (website ? (normalizeDomain(website) ?? null) : null);
}

export function newCustomer(input: CreateCustomerInput, caller: Caller, id: string, nowIso: string): Customer {
  const kind = input.kind ?? 'person';
  const ownedByCreator = caller.groups.includes('rep');
  return {
    ...unallocated(),
    // A rep's new customer is theirs from now; the next reclaim sweep routes it to a pool and schedules it.
    ...(ownedByCreator ? { assignedAt: nowIso, reclaimCheckAt: nowIso } : {}),
    id,
    tenantId: caller.tenantId,
    kind,
    name: input.name,
    emails: unique(input.emails ?? []),
    phones: unique(input.phones ?? []),
    website: input.website ?? null,
    domain: companyDomain(kind, input.domain, input.website),
    address: input.address ?? null,
    industry: input.industry ?? null,
    region: input.region ?? null,
    level: input.level ?? null,
    lifecycleStage: input.lifecycleStage ?? 'lead',
    source: input.source ?? null,
    tags: unique(input.tags ?? []),
    // The rep who enters a customer owns it; managers and admins enter it unassigned, to assign or pool it.
    ownerId: ownedByCreator ? caller.userId : null,
    teamId: ownedByCreator ? (caller.teamId ?? null) : null,
    consent: consentRecords(input.consent, nowIso),
    customFields: mergeCustomFields({}, input.customFields),
    lastFollowUpAt: null,
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
    mergedInto: null,
    erasedAt: null,
  };
}

/** A merged or erased customer answers 410 Gone everywhere (a merged one names its survivor). */
export function assertLive(customer: Customer): void {
  if (customer.mergedInto) throw new CustomerMerged(customer.id, customer.mergedInto);
  if (customer.erasedAt) throw new CustomerErased(customer.id);
}

/** The customer after a merge patch, and which tracked fields really changed. */
export function applyPatch(customer: Customer, patch: CustomerPatch, caller: Caller, nowIso: string): { after: Customer; changed: TrackedField[] } {
  const pick = <K extends keyof CustomerPatch>(key: K, current: Customer[K & keyof Customer]) =>
    patch[key] === undefined ? current : (patch[key] ?? null);
  const website = pick('website', customer.website) as string | null;
  const explicitDomain = patch.domain === undefined ? undefined : patch.domain;
  const domainValue =
    explicitDomain !== undefined ? explicitDomain : patch.website !== undefined ? undefined : customer.domain;
  const next: Customer = {
    ...customer,
    name: patch.name ?? customer.name,
    emails: patch.emails === undefined ? customer.emails : unique(patch.emails ?? []),
    phones: patch.phones === undefined ? customer.phones : unique(patch.phones ?? []),
    website,
    domain: companyDomain(customer.kind, domainValue, website),
    address: pick('address', customer.address) as Address | null,
    industry: pick('industry', customer.industry) as string | null,
    region: pick('region', customer.region) as string | null,
    level: pick('level', customer.level) as string | null,
    lifecycleStage: patch.lifecycleStage ?? customer.lifecycleStage,
    source: pick('source', customer.source) as string | null,
    tags: patch.tags === undefined ? customer.tags : unique(patch.tags ?? []),
    consent: consentRecords(patch.consent, nowIso, customer.consent),
    customFields: mergeCustomFields(customer.customFields, patch.customFields),
  };
  const changed = TRACKED_FIELDS.filter((f) => JSON.stringify(next[f]) !== JSON.stringify(customer[f]));
  if (changed.length === 0) return { after: customer, changed };
  // A new level or stage may bring the reclaim deadline forward (or exempt it): the next sweep recomputes it.
  const rescheduled = customer.ownerId !== null && (changed.includes('level') || changed.includes('lifecycleStage'));
  return {
    after: { ...next, updatedAt: nowIso, updatedBy: caller.userId, version: customer.version + 1, ...(rescheduled ? { reclaimCheckAt: nowIso } : {}) },
    changed,
  };
}

/** Roles that see every customer of their tenant: admins, and marketing and service, who work across owners. */
export const SEES_WHOLE_TENANT = ['admin', 'marketer', 'agent'] as const;

export const seesWholeTenant = (caller: Caller) => caller.groups.some((g) => (SEES_WHOLE_TENANT as readonly string[]).includes(g));

/**
 * A manager's part of the tenant: customers owned in their team, and the unowned ones they
 * distribute. A manager without a team manages only the unowned.
 */
export function inManagersScope(caller: Caller, customer: Pick<Customer, 'ownerId' | 'teamId'>): boolean {
  if (!caller.groups.includes('manager')) return false;
  return customer.ownerId === null || (caller.teamId !== undefined && customer.teamId === caller.teamId);
}

/**
 * Who may read a customer. Tenant isolation is already given by the keys; inside the tenant a rep
 * sees the customers they own, a manager their team's (and the unowned), admins, marketers and
 * agents all. Members of a customer's pool read it too: that needs the pool, so it is an async
 * step after this one (`readableThroughPool`, shared/pools/pool-access.ts), never a write right.
 */
export function canRead(caller: Caller, customer: Customer): boolean {
  if (caller.tenantId !== customer.tenantId) return false;
  if (seesWholeTenant(caller) || inManagersScope(caller, customer)) return true;
  return caller.groups.includes('rep') && customer.ownerId === caller.userId;
}

/** Who may change a customer's record: its owner, the owner's manager or an admin. */
export function canWrite(caller: Caller, customer: Customer): boolean {
  if (caller.tenantId !== customer.tenantId) return false;
  if (isAdmin(caller) || inManagersScope(caller, customer)) return true;
  return caller.groups.includes('rep') && customer.ownerId === caller.userId;
}

/** The public representation: no keys, no index attributes; consent as topic -> granted. */
export function customerView(customer: Customer) {
  return {
    id: customer.id,
    kind: customer.kind,
    name: customer.name,
    emails: customer.emails,
    phones: customer.phones,
    website: customer.website,
    domain: customer.domain,
    address: customer.address,
    industry: customer.industry,
    region: customer.region,
    level: customer.level,
    lifecycleStage: customer.lifecycleStage,
    source: customer.source,
    tags: customer.tags,
    ownerId: customer.ownerId,
    teamId: customer.teamId,
    consent: Object.fromEntries(Object.entries(customer.consent).map(([topic, record]) => [topic, record.granted])),
    customFields: customer.customFields,
    lastFollowUpAt: customer.lastFollowUpAt,
    createdAt: customer.createdAt,
    createdBy: customer.createdBy,
    updatedAt: customer.updatedAt,
    updatedBy: customer.updatedBy,
    version: customer.version,
    poolId: customer.poolId,
    assignedAt: customer.assignedAt,
    locked: customer.locked,
  };
}

export { hasConsent } from '../consent/consent-check';
