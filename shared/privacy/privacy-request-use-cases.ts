import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { addressHash } from '../consent/suppression-key';
import { Conflict, CustomerMerged, CustomerNotFound, Gone, LeadNotFound, NotFound } from '../errors';
import { newId } from '../ids';
import { withoutStorageAttributes } from '../keys';
import { type CustomerEraser, eraseCustomer } from './customer-erasure-repository';
import { type CustomerExporter, exportCustomer } from './customer-export-repository';
import { eraseLead, exportLead, type LeadPrivacyRepository } from './lead-erasure-repository';
import {
  authorizePrivacyRequest,
  contactHolds,
  type FoundRecord,
  pendingSteps,
  type PrivacyRequest,
  type PrivacyRequestInput,
  privacyRequestView,
  stepKey,
  suppressionSection,
  uniqueFound,
} from './privacy-request';
import type { PrivacyRequestRepository } from './privacy-request-repository';

export interface PrivacyRequestDeps {
  requests: PrivacyRequestRepository;
  customerEraser: CustomerEraser;
  customerExporter: CustomerExporter;
  leadPrivacy: LeadPrivacyRepository;
}

export class PrivacyRequestNotFound extends NotFound {
  constructor(requestId: string) {
    super(`Privacy request ${requestId} not found`);
  }
}

/** A second erasure of an address while one runs: the client is told which, to finish it. */
export class PrivacyRequestUnderWay extends Conflict {
  constructor(openRequestId: string | undefined) {
    const run = openRequestId ? `/privacy/requests/${openRequestId}/run` : undefined;
    super(`An erasure of this person is under way (privacy request ${openRequestId ?? 'unknown'}); finish it with POST ${run ?? '/privacy/requests/{id}/run'}`);
    if (openRequestId) Object.assign(this.extensions, { requestId: openRequestId, location: `/privacy/requests/${openRequestId}` });
  }
}

/** Hops followed from a customer merged after the lookup to the survivor now holding its data. */
const MAX_MERGE_HOPS = 5;

/**
 * POST /privacy/requests: finds every record holding the address (docs/privacy.md, "Requests by
 * address") and exports or erases them. An export answers with the records in labelled sections;
 * an erasure runs its steps here, each idempotent and recorded as done, so a request that dies
 * part-way is finished by POST /privacy/requests/{id}/run. Both are stored as the record of the
 * request, without the address.
 */
export async function submitPrivacyRequest(deps: PrivacyRequestDeps, caller: Caller, input: PrivacyRequestInput) {
  authorizePrivacyRequest(caller);
  const address = { email: input.email, phone: input.phone };
  const holders = await deps.requests.holders(caller.tenantId, address);
  const indexed = await deps.requests.contactsIndexedUnder(caller.tenantId, address);
  // The index trails the table: only contacts that hold the address now count.
  const contacts = (await deps.requests.contacts(caller.tenantId, indexed)).filter((c) => contactHolds(c, address));
  const found = uniqueFound([
    ...holders.customerIds.map((id): FoundRecord => ({ kind: 'customer', id })),
    ...contacts.map((c): FoundRecord => ({ kind: 'contact', id: String(c.id), customerId: String(c.customerId) })),
    ...holders.leadIds.map((id): FoundRecord => ({ kind: 'lead', id })),
    ...(holders.suppression && input.email ? [{ kind: 'suppression' as const, id: addressHash(input.email) }] : []),
  ]);
  const now = clock.nowIso();
  const request: PrivacyRequest = {
    id: newId(),
    tenantId: caller.tenantId,
    type: input.type,
    status: input.type === 'export' ? 'completed' : 'running',
    addressKinds: [...(input.email ? ['email' as const] : []), ...(input.phone ? ['phone' as const] : [])],
    found,
    done: [],
    requestedBy: caller.userId,
    requestedAt: now,
    completedAt: input.type === 'export' ? now : null,
  };
  if (input.type === 'export') {
    const sections = {
      customers: await exportEach(holders.customerIds, (id) => exportCustomer(deps.customerExporter, caller, id)),
      contacts: contacts.map(withoutStorageAttributes),
      leads: await exportEach(holders.leadIds, (id) => exportLead(deps.leadPrivacy, caller, id)),
      suppression: input.email ? suppressionSection(holders.suppression) : null,
    };
    await deps.requests.create(request, []);
    return { request: privacyRequestView(request), export: sections };
  }
  const locks = [input.email, input.phone].filter((v): v is string => v !== undefined).map(addressHash);
  const created = await deps.requests.create(request, locks);
  if (!created.created) throw new PrivacyRequestUnderWay(created.openRequestId);
  return { request: privacyRequestView(await runSteps(deps, caller, request, locks)) };
}

/** A record erased or merged between the lookup and its export has nothing to export here. */
async function exportEach<T>(ids: readonly string[], exportOne: (id: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const id of ids) {
    try {
      out.push(await exportOne(id));
    } catch (error) {
      if (!(error instanceof Gone)) throw error;
    }
  }
  return out;
}

/** The erasure's steps not done yet, each recorded when done; then the request completes and its locks go. */
async function runSteps(deps: PrivacyRequestDeps, caller: Caller, request: PrivacyRequest, locks: readonly string[]): Promise<PrivacyRequest> {
  const done = [...request.done];
  for (const step of pendingSteps(request)) {
    await eraseOne(deps, caller, step, request.id);
    await deps.requests.markDone(caller.tenantId, request.id, stepKey(step));
    done.push(stepKey(step));
  }
  const completedAt = request.completedAt ?? clock.nowIso();
  await deps.requests.complete(request, completedAt, locks);
  return { ...request, done, status: 'completed', completedAt };
}

/** The existing erasures, each idempotent; the privacy request's id correlates their events. */
async function eraseOne(deps: PrivacyRequestDeps, caller: Caller, record: FoundRecord, correlationId: string): Promise<void> {
  try {
    switch (record.kind) {
      case 'lead':
        await eraseLead(deps.leadPrivacy, caller, record.id, correlationId);
        return;
      case 'contact':
        await deps.requests.eraseContact(caller.tenantId, record);
        return;
      case 'customer':
        await eraseCustomerOrSurvivor(deps, caller, record.id, correlationId);
        return;
      case 'suppression':
        await deps.requests.suppressionList.forgetHash(caller.tenantId, record.id);
        return;
    }
  } catch (error) {
    // Deleted meanwhile by other means: nothing of it is left to erase.
    if (error instanceof CustomerNotFound || error instanceof LeadNotFound) return;
    throw error;
  }
}

/**
 * A customer merged after the lookup answers 410 naming its survivor: its data, guards included,
 * lives there now, so the survivor is the record holding the address and is erased instead.
 */
async function eraseCustomerOrSurvivor(deps: PrivacyRequestDeps, caller: Caller, customerId: string, correlationId: string): Promise<void> {
  let id = customerId;
  for (let hop = 0; ; hop++) {
    try {
      await eraseCustomer(deps.customerEraser, caller, id, correlationId, deps.leadPrivacy);
      return;
    } catch (error) {
      if (!(error instanceof CustomerMerged) || hop >= MAX_MERGE_HOPS) throw error;
      id = error.mergedInto;
    }
  }
}

/** POST /privacy/requests/{id}/run: finishes an erasure that died part-way; a completed request answers as it is. */
export async function runPrivacyRequest(deps: PrivacyRequestDeps, caller: Caller, requestId: string) {
  const request = await getRequest(deps, caller, requestId);
  if (request.status === 'completed') return privacyRequestView(request);
  const locks = await deps.requests.locksOf(caller.tenantId, requestId);
  return privacyRequestView(await runSteps(deps, caller, request, locks));
}

async function getRequest(deps: Pick<PrivacyRequestDeps, 'requests'>, caller: Caller, requestId: string): Promise<PrivacyRequest> {
  authorizePrivacyRequest(caller);
  const request = await deps.requests.get(caller.tenantId, requestId);
  if (!request) throw new PrivacyRequestNotFound(requestId);
  return request;
}

/** GET /privacy/requests/{id}: the record of the request, without personal data. */
export async function showPrivacyRequest(deps: Pick<PrivacyRequestDeps, 'requests'>, caller: Caller, requestId: string) {
  return privacyRequestView(await getRequest(deps, caller, requestId));
}

/** GET /privacy/requests: the tenant's requests, newest first. */
export async function listPrivacyRequests(deps: Pick<PrivacyRequestDeps, 'requests'>, caller: Caller, limit: number, cursor: string | undefined) {
  authorizePrivacyRequest(caller);
  const page = await deps.requests.list(caller.tenantId, limit, cursor);
  return { items: page.items.map(privacyRequestView), cursor: page.cursor };
}
