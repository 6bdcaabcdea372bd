import { caseMessageAddedV1 } from '../../events/cases/case-message-added.v1';
import { caseOpenedV1 } from '../../events/cases/case-opened.v1';
import { caseStatusChangedV1 } from '../../events/cases/case-status-changed.v1';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { canRead, type Customer } from '../customers/customer';
import { DuplicateCustomer, Forbidden, Gone, NotFound, StaleVersion, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { type EventContext, newEvent } from '../outbox/outbox';
import type { NamedItem } from '../aws/transact-write';
import { parseLimit } from '../pagination';
import { caseSla, type StoredSlaPolicy } from '../sla/case-sla';
import { type DirectoryUser, isActiveUser } from '../users/user';
import {
  type Case,
  CASE_PAGE_SIZE,
  CASE_STATUSES,
  CaseClosed,
  type CaseMessage,
  type CaseMessageInput,
  type CasePatch,
  type CaseStatus,
  checkReplyAddress,
  newCase,
  type OpenCaseInput,
  patched,
  withMessage,
  worksCases,
} from './case';
import type { CaseEvent, CasePage, CaseRepository, CaseWriteOutcome } from './case-repository';
import type { Order } from '../orders/order';
import { linkedCustomerId } from './after-sales';

/** What the case use cases read and write; the wiring gives the real ones, tests their own. */
export interface CaseDeps {
  cases: Pick<CaseRepository, 'open' | 'change' | 'get' | 'list' | 'forOrder'>;
  customers: {
    get(tenantId: string, customerId: string): Promise<Customer | undefined>;
    /** The customer holding this address (the email guard), if any. */
    idByEmail(tenantId: string, email: string): Promise<string | undefined>;
    /** A new unowned person for an address nobody has (named by it unless a name is given), through the customer use case and its guards. */
    createForAddress(caller: Caller, email: string, correlationId: string, name?: string): Promise<Customer>;
  };
  users: { get(tenantId: string, userId: string): Promise<Pick<DirectoryUser, 'status'> | undefined> };
  /** Routing to agents: the items that keep agents' loads exact, joined to the case's own transaction (absent: no load kept). */
  agentLoad?: (before: Case | undefined, after: Case) => NamedItem[];
  // SLA policies applied to cases
  /** The SLA policy a case of this category gets (docs/service.md, "SLA policies"), or null: none applies. */
  slaPolicies: { forCategory(tenantId: string, category: string): Promise<StoredSlaPolicy | null> };
  // After-sales (docs/processes.md, "After-sales")
  /** Orders a case may be linked to, read by id. */
  orders: { get(tenantId: string, orderId: string): Promise<Order | undefined> };
  /** A contact of a customer, to check a contact named on an order's case is the order's customer's. */
  contacts: { get(tenantId: string, customerId: string, contactId: string): Promise<unknown> };
}

export class CaseNotFound extends NotFound {
  constructor(caseId: string) {
    super(`Case ${caseId} not found`);
  }
}

/** A write that keeps losing to other writes of the same case gives up after this many reads. */
const MAX_ATTEMPTS = 3;

const ctx = (caller: Caller, correlationId: string) => ({ tenantId: caller.tenantId, actor: { type: 'user' as const, id: caller.userId }, correlationId });

function assertWorksCases(caller: Caller): void {
  if (!worksCases(caller)) throw new Forbidden('Only agents, managers and admins work cases');
}

async function checkAssignee(deps: CaseDeps, caller: Caller, assigneeId: string | null | undefined): Promise<void> {
  if (assigneeId === undefined || assigneeId === null || assigneeId === caller.userId) return;
  const user = await deps.users.get(caller.tenantId, assigneeId);
  if (!user || !isActiveUser(user)) throw new ValidationFailed([{ path: 'assigneeId', message: 'Not an active user of this tenant (see GET /users)' }]);
}

/**
 * The customer a new case is for: the one named, else the one holding the requester's address,
 * else a new unowned person with that address (an unknown sender is a person the CRM did not know
 * yet; docs/service.md says why not a lead). Two cases from one new address make one customer.
 */
export async function customerFor(deps: Pick<CaseDeps, 'customers'>, caller: Caller, input: OpenCaseInput, correlationId: string, newName?: string): Promise<{ customer: Customer; created: boolean }> {
  if (input.customerId) {
    const customer = await deps.customers.get(caller.tenantId, input.customerId);
    if (!customer || customer.mergedInto || customer.erasedAt) throw new ValidationFailed([{ path: 'customerId', message: 'No such customer (see GET /customers)' }]);
    return { customer, created: false };
  }
  if (!input.email) throw new ValidationFailed([{ path: 'customerId', message: 'Name the customer (customerId) or the requester\'s address (email)' }]);
  const known = await deps.customers.idByEmail(caller.tenantId, input.email);
  const existing = known ? await deps.customers.get(caller.tenantId, known) : undefined;
  if (existing && !existing.mergedInto && !existing.erasedAt) return { customer: existing, created: false };
  try {
    return { customer: await deps.customers.createForAddress(caller, input.email, correlationId, newName), created: true };
  } catch (error) {
    if (!(error instanceof DuplicateCustomer)) throw error;
    const winner = await deps.customers.get(caller.tenantId, error.existingCustomerId);
    if (!winner) throw error;
    return { customer: winner, created: false };
  }
}

/** POST /cases: agents, managers and admins open a case for a customer (named, or found or made by address), optionally about one of its orders. */
export async function openCase(deps: CaseDeps, caller: Caller, input: OpenCaseInput, correlationId: string): Promise<Case> {
  assertWorksCases(caller);
  await checkAssignee(deps, caller, input.assigneeId);
  // After-sales: a linked order names the customer (its own, or 400 `orderId` when another is named).
  const linked = input.orderId ? { ...input, customerId: linkedCustomerId(await deps.orders.get(caller.tenantId, input.orderId), input.customerId) } : input;
  return commitNewCase(deps, caller, linked, correlationId);
}

/**
 * The one way a user's case is opened (POST /cases, POST /orders/{id}/cases): the customer, the
 * SLA, the agents' loads, the case and `crm.case.opened.v1` in one transaction. Access is the
 * caller's to check first; `shape` adds what the route knows beside the input (an order's lines).
 */
export async function commitNewCase(deps: CaseDeps, caller: Caller, input: OpenCaseInput, correlationId: string, shape: (base: Case) => Case = (base) => base): Promise<Case> {
  const { customer, created } = await customerFor(deps, caller, input, correlationId);
  const opened = await withSla(deps, null, shape(newCase(input, { id: customer.id, email: customer.emails[0] ?? null }, caller, newId(), clock.nowIso())), undefined, customer.level);
  const event = newEvent(caseOpenedV1, ctx(caller, correlationId), {
    caseId: opened.id,
    customerId: opened.customerId,
    priority: opened.priority,
    category: opened.category,
    channel: opened.channel,
    assigneeId: opened.assigneeId,
    customerCreated: created,
    orderId: opened.orderId ?? null,
  });
  const outcome = await deps.cases.open(opened, [{ detailType: caseOpenedV1.detailType, detail: event }], deps.agentLoad?.(undefined, opened));
  if (outcome.outcome === 'customer-gone') throw new ValidationFailed([{ path: 'customerId', message: 'The customer was merged or erased meanwhile' }]);
  return opened;
}

/**
 * SLA policies applied to cases: the case with its SLA block kept right, as every write of a case
 * does in its own transaction (docs/service.md, "SLA policies"). A new case starts its clocks with
 * the customer's `level`; a block that starts later (a policy made since) reads the level once and
 * keeps it.
 */
export async function withSla(deps: Pick<CaseDeps, 'slaPolicies' | 'customers'>, before: Case | null, after: Case, message: CaseMessage | undefined, level?: string | null): Promise<Case> {
  const policy = await deps.slaPolicies.forCategory(after.tenantId, after.category);
  const startLevel = level !== undefined ? level : policy && !before?.sla ? ((await deps.customers.get(after.tenantId, after.customerId))?.level ?? null) : null;
  return { ...after, sla: caseSla(before, after, policy, startLevel, message, before ? after.updatedAt : after.createdAt) };
}

/** GET /cases/{id}: the case with its thread (and its satisfaction surveys); service staff, and whoever may read its customer. */
export async function getCase(deps: CaseDeps, caller: Caller, caseId: string): Promise<NonNullable<Awaited<ReturnType<CaseDeps['cases']['get']>>>> {
  const found = await deps.cases.get(caller.tenantId, caseId, true);
  if (!found) throw new CaseNotFound(caseId);
  if (!worksCases(caller)) {
    const customer = await deps.customers.get(caller.tenantId, found.case.customerId);
    if (!customer || !canRead(caller, customer)) throw new CaseNotFound(caseId);
  }
  return found;
}

/**
 * GET /cases?assignee=me|queue|<userId>&status=active|done|<status>: one Query per page. Agents
 * read their own and the queue; managers and admins anyone's.
 */
export async function listCases(deps: CaseDeps, caller: Caller, query: Record<string, string | undefined>): Promise<CasePage> {
  assertWorksCases(caller);
  const assignee = query.assignee ?? 'me';
  const assigneeId = assignee === 'me' ? caller.userId : assignee === 'queue' ? null : assignee;
  if (assigneeId !== null && assigneeId !== caller.userId && !caller.groups.some((g) => g === 'manager' || g === 'admin')) {
    throw new Forbidden('Agents list their own cases and the queue; managers and admins anyone\'s');
  }
  const status = query.status ?? 'active';
  if (status !== 'active' && status !== 'done' && !(CASE_STATUSES as readonly string[]).includes(status)) {
    throw new ValidationFailed([{ path: 'query.status', message: `Expected active, done or one of ${CASE_STATUSES.join(', ')}` }]);
  }
  const one = status === 'active' || status === 'done' ? undefined : (status as CaseStatus);
  const group = one ? (['resolved', 'closed'].includes(one) ? 'done' : 'active') : (status as 'active' | 'done');
  return deps.cases.list(caller.tenantId, assigneeId, group, one, parseLimit(query.limit, CASE_PAGE_SIZE.default, CASE_PAGE_SIZE.max), query.cursor);
}

/** The events a change of a case commits: a status (or assignee) change, and the message if one joined. */
export function changeEvents(before: Case, after: Case, message: CaseMessage | undefined, context: EventContext): CaseEvent[] {
  const events: CaseEvent[] = [];
  if (message) {
    const detail = newEvent(caseMessageAddedV1, context, { caseId: after.id, customerId: after.customerId, messageId: message.id, kind: message.kind, status: after.status });
    events.push({ detailType: caseMessageAddedV1.detailType, detail });
  }
  if (before.status !== after.status || before.assigneeId !== after.assigneeId) {
    const detail = newEvent(caseStatusChangedV1, context, { caseId: after.id, customerId: after.customerId, from: before.status, to: after.status, assigneeId: after.assigneeId, fromAssigneeId: before.assigneeId });
    events.push({ detailType: caseStatusChangedV1.detailType, detail });
  }
  return events;
}

function settled(outcome: CaseWriteOutcome, caseId: string): 'written' | 'retry' {
  if (outcome.outcome === 'customer-gone') throw new Gone(`The customer of case ${caseId} was merged or erased meanwhile; read the case again`);
  return outcome.outcome === 'written' ? 'written' : 'retry';
}

/**
 * Applies `change` to the case as read, over that version; a write that lost to another re-reads
 * and applies again (messages and actions never fail because someone else wrote first).
 */
async function changeCase(deps: CaseDeps, caller: Caller, caseId: string, change: (current: Case) => CaseChange, correlationId: string): Promise<CaseChange> {
  assertWorksCases(caller);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const found = await deps.cases.get(caller.tenantId, caseId, false);
    if (!found) throw new CaseNotFound(caseId);
    const current = found.case;
    if (current.status === 'closed') throw new CaseClosed(caseId);
    const changed = change(current);
    if (changed.after === current && !changed.message) return { after: current };
    const { message } = changed;
    const after = await withSla(deps, current, changed.after, message);
    const outcome = await deps.cases.change(after, current.version, message, changeEvents(current, after, message, ctx(caller, correlationId)), deps.agentLoad?.(current, after));
    if (settled(outcome, caseId) === 'written') return { after, message };
  }
  throw new StaleVersion('case', (await deps.cases.get(caller.tenantId, caseId, false))?.case.version ?? 0);
}

/** What a change of a case leaves: the case, and the message it added, if any. */
interface CaseChange {
  after: Case;
  message?: CaseMessage;
}

/** POST /cases/{id}/messages: a reply (mailed to the requester once it is committed) or an internal note. */
export async function addCaseMessage(deps: CaseDeps, caller: Caller, caseId: string, input: CaseMessageInput, correlationId: string): Promise<{ case: Case; message: CaseMessage }> {
  // One id and time for the message, whatever retries the write needs.
  const id = newId();
  const at = clock.nowIso();
  const { after, message } = await changeCase(
    deps,
    caller,
    caseId,
    (current) => {
      checkReplyAddress(current, input);
      const added: CaseMessage = { id, caseId, customerId: current.customerId, kind: input.internal ? 'note' : 'outbound', text: input.text, authorId: caller.userId, messageId: null, at };
      return { after: withMessage(current, added, input.internal ? undefined : input.status, caller), message: added };
    },
    correlationId,
  );
  return { case: after, message: message! };
}

/** POST /cases/{id}/resolve. */
export async function resolveCase(deps: CaseDeps, caller: Caller, caseId: string, correlationId: string): Promise<Case> {
  const { after } = await changeCase(deps, caller, caseId, (current) => ({ after: current.status === 'resolved' ? current : patched(current, { status: 'resolved' }, caller, clock.nowIso()) }), correlationId);
  return after;
}

/** PATCH /cases/{id}: subject, priority, category, status and assignee, with If-Match. */
export async function updateCase(deps: CaseDeps, caller: Caller, caseId: string, patch: CasePatch, expectedVersion: number, correlationId: string): Promise<Case> {
  assertWorksCases(caller);
  await checkAssignee(deps, caller, patch.assigneeId);
  const { after } = await changeCase(
    deps,
    caller,
    caseId,
    (current) => {
      if (current.version !== expectedVersion) throw new StaleVersion('case', current.version);
      return { after: patched(current, patch, caller, clock.nowIso()) };
    },
    correlationId,
  );
  return after;
}
