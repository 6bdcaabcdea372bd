import type { Caller } from '../access/caller';
import { clock } from '../clock';
import type { CustomFieldCatalog } from '../custom-fields/custom-field-repository';
import type { Customer } from '../customers/customer';
import { ValidationFailed } from '../errors';
import { newId } from '../ids';
import { assertCanUseSegments, type CreateSegmentInput, parsePreviewQuery, SEGMENT_PREVIEW, type Segment, SegmentNotFound } from './segment';
import { checkAudienceCriteria, checkCustomFieldConditions, matchesContact, matchesContactCompany, matchesLeadSegment, matchesSegment, planSegment, type SegmentAudience, type SegmentDefinition, type SegmentPlan } from './segment-definition';
import type { Contact } from '../contacts/contact';
import type { Lead } from '../leads/lead';
import { type CustomerBatch, decodeSegmentCursor, encodeSegmentCursor, type SegmentCursor, type SegmentCustomerReader, type SegmentRepository } from './segment-repository';

/** POST /segments: marketers and admins; custom field conditions are checked against the tenant's definitions. */
export async function createSegment(
  deps: { segments: Pick<SegmentRepository, 'create'>; customFields: CustomFieldCatalog },
  caller: Caller,
  input: CreateSegmentInput,
): Promise<Segment> {
  assertCanUseSegments(caller);
  const audience = input.audience ?? 'customers';
  const misplaced = checkAudienceCriteria(audience, input.definition);
  if (misplaced.length) throw new ValidationFailed(misplaced);
  if (input.definition.customFields && Object.keys(input.definition.customFields).length > 0) {
    const errors = checkCustomFieldConditions(input.definition, await deps.customFields.list(caller.tenantId, 'customer'));
    if (errors.length) throw new ValidationFailed(errors);
  }
  const now = clock.nowIso();
  const segment: Segment = {
    id: newId(),
    tenantId: caller.tenantId,
    name: input.name,
    description: input.description ?? null,
    audience,
    definition: input.definition,
    createdAt: now,
    createdBy: caller.userId,
    updatedAt: now,
    updatedBy: caller.userId,
    version: 1,
  };
  await deps.segments.create(segment);
  return segment;
}

export async function getSegment(segments: Pick<SegmentRepository, 'get'>, caller: Caller, segmentId: string): Promise<Segment> {
  assertCanUseSegments(caller);
  const segment = await segments.get(caller.tenantId, segmentId);
  if (!segment) throw new SegmentNotFound(segmentId);
  return segment;
}

export async function listSegments(segments: Pick<SegmentRepository, 'list'>, caller: Caller): Promise<Segment[]> {
  assertCanUseSegments(caller);
  return segments.list(caller.tenantId);
}

/** A member of a contacts segment: the contact and the company customer it works at. */
export interface SegmentContact {
  contact: Contact;
  company: Customer;
}

type Reader = Pick<SegmentCustomerReader, 'read' | 'contactsOf'>;

/**
 * The members of one batch the plan read: its customers or leads that match, or for a contacts
 * plan the matching companies' contacts that match (their reads added to `scanned`).
 */
async function membersOf(reader: Reader, tenantId: string, plan: SegmentPlan, batch: CustomerBatch, definition: SegmentDefinition, nowIso: string) {
  if (plan.members !== 'contacts') {
    return {
      customers: batch.customers.filter((c) => matchesSegment(c, definition, nowIso)),
      leads: batch.leads.filter((l) => matchesLeadSegment(l, definition)),
      contacts: [] as SegmentContact[],
      scanned: batch.scanned,
    };
  }
  const companies = new Map(batch.customers.filter((c) => matchesContactCompany(c, definition, nowIso)).map((c) => [c.id, c]));
  const read = companies.size ? await reader.contactsOf(tenantId, [...companies.keys()]) : { contacts: [], scanned: 0 };
  const contacts = read.contacts.filter((contact) => companies.has(contact.customerId) && matchesContact(contact, definition)).map((contact) => ({ contact, company: companies.get(contact.customerId)! }));
  return { customers: [] as Customer[], leads: [] as Lead[], contacts, scanned: batch.scanned + read.scanned };
}

export interface SegmentPage {
  /** The customers of this page in the segment (live profiles only: tombstones are in no index). */
  customers: Customer[];
  /** A leads segment's leads of this page (erased leads are in no status list). */
  leads: Lead[];
  /** A contacts segment's contacts of this page, each with its company (the page's `customers` are empty then). */
  contacts: SegmentContact[];
  scanned: number;
  /** Pass it back for the next page; null when the whole segment has been read. */
  cursor: string | null;
}

/**
 * One step of a segment's evaluation: one Query of at most `limit` index items, filtered with the
 * matcher (for contacts, plus one Query per matching company). A page may hold no member while
 * `cursor` is not null. The campaign flow freezes its
 * audience by calling this until the cursor is null (a system caller, so no role check here);
 * `nowIso` stays the same for every page so relative ranges do not drift during the run.
 */
export async function evaluateSegmentPage(
  reader: Reader,
  tenantId: string,
  definition: SegmentDefinition,
  options: { cursor?: string; limit: number; nowIso: string; audience?: SegmentAudience },
): Promise<SegmentPage> {
  const plan = planSegment(definition, tenantId, options.audience);
  const batch = await reader.read(plan, decodeSegmentCursor(options.cursor, plan, tenantId), options.limit);
  return { ...(await membersOf(reader, tenantId, plan, batch, definition, options.nowIso)), cursor: encodeSegmentCursor(batch.next) };
}

/**
 * GET /segments/{id}/preview: how many members (customers, contacts or leads) match, the first
 * `sample` of them (most recently updated first), and what it cost. Reads at most `budget` items
 * (default and cap 5,000; a contacts segment's contact items count too); when the segment's
 * partitions hold more, the count covers what was read and `complete` is false.
 */
export async function previewSegment(
  deps: { segments: Pick<SegmentRepository, 'get'>; reader: Reader },
  caller: Caller,
  segmentId: string,
  query: Record<string, string | undefined>,
) {
  const { sample, budget } = parsePreviewQuery(query);
  const segment = await getSegment(deps.segments, caller, segmentId);
  const evaluatedAt = clock.nowIso();
  const plan = planSegment(segment.definition, caller.tenantId, segment.audience);
  const members: Customer[] = [];
  const leads: Lead[] = [];
  const contacts: SegmentContact[] = [];
  let count = 0;
  let scanned = 0;
  let at: SegmentCursor | null = { partition: 0 };
  while (at && scanned < budget) {
    const batch: CustomerBatch = await deps.reader.read(plan, at, Math.min(SEGMENT_PREVIEW.pageSize, budget - scanned));
    const page = await membersOf(deps.reader, caller.tenantId, plan, batch, segment.definition, evaluatedAt);
    scanned += page.scanned;
    count += page.customers.length + page.leads.length + page.contacts.length;
    members.push(...page.customers.slice(0, sample - members.length));
    leads.push(...page.leads.slice(0, sample - leads.length));
    contacts.push(...page.contacts.slice(0, sample - contacts.length));
    at = batch.next;
  }
  return { segmentId: segment.id, audience: segment.audience, count, sample: members, leads, contacts, evaluatedAt, scanned, complete: at === null, index: plan.index.name, partitions: plan.partitions.length };
}
