import { caseOpenedV1 } from '../../events/cases/case-opened.v1';
import type { Caller } from '../access/caller';
import type { NamedItem } from '../aws/transact-write';
import { newId } from '../ids';
import { type EventContext, newEvent } from '../outbox/outbox';
import { type Case, newCase, type OpenCaseInput } from './case';
import type { CaseEvent, CaseRepository } from './case-repository';
import { type CaseDeps, customerFor, withSla } from './case-use-cases';

/**
 * A case the CRM opens by itself, for a requester who wrote in without an account (inbound mail,
 * a public web form): the one place that finds (or makes) the customer, sets the SLA, commits the
 * case with its `case-opened` event and the agents' loads, for a system actor.
 */

/** The identity a system source acts as in its tenant: an agent's rights, no sales team, owning nothing it creates. */
export const systemCaller = (tenantId: string, actorId: string): Caller => ({ userId: actorId, tenantId, groups: ['agent'] });

export interface SystemCaseDeps {
  cases: Pick<CaseRepository, 'open'>;
  customers: CaseDeps['customers'];
  /** Routing's agent loads, kept in the case's own transaction as every case write does. */
  agentLoad?: CaseDeps['agentLoad'];
  slaPolicies: CaseDeps['slaPolicies'];
}

export interface SystemCaseRequest {
  /** Tenant, system actor (`{type: 'system', id}`) and correlation id of every event. */
  context: EventContext;
  /** The case as `POST /cases` takes it; the requester's address finds (or makes) the customer. */
  input: OpenCaseInput & { email: string };
  at: string;
  /** The name a new customer gets (default: the address); a known customer keeps theirs. */
  customerName?: string;
  /** What the source adds to the new case before its SLA is set (inbound mail: its first message, the related case). */
  shape?: (base: Case) => Case;
  /** More events and items in the case's transaction (inbound mail: the message, its "received" marker). */
  more?: (opened: Case) => { events?: CaseEvent[]; items?: NamedItem[] };
}

export type SystemCaseOutcome = { outcome: 'opened'; case: Case; customerCreated: boolean } | { outcome: 'customer-gone' };

/**
 * Opens the case in one transaction. `customer-gone` (the customer was merged or erased between the
 * read and the write) is the caller's to retry; a failed condition of an extra item is rethrown.
 */
export async function openSystemCase(deps: SystemCaseDeps, request: SystemCaseRequest): Promise<SystemCaseOutcome> {
  const { context, input, at } = request;
  const caller = systemCaller(context.tenantId, context.actor.id);
  const { customer, created } = await customerFor(deps, caller, input, context.correlationId, request.customerName);
  const base = newCase(input, { id: customer.id, email: customer.emails[0] ?? null }, caller, newId(), at);
  const opened = await withSla(deps, null, request.shape ? request.shape(base) : base, undefined, customer.level);
  const openedEvent = newEvent(caseOpenedV1, context, {
    caseId: opened.id,
    customerId: opened.customerId,
    priority: opened.priority,
    category: opened.category,
    channel: opened.channel,
    assigneeId: opened.assigneeId,
    customerCreated: created,
    orderId: opened.orderId ?? null,
    ...(opened.relatedCaseId !== undefined ? { relatedCaseId: opened.relatedCaseId } : {}),
  });
  const more = request.more?.(opened) ?? {};
  const outcome = await deps.cases.open(
    opened,
    [{ detailType: caseOpenedV1.detailType, detail: openedEvent }, ...(more.events ?? [])],
    [...(more.items ?? []), ...(deps.agentLoad?.(undefined, opened) ?? [])],
  );
  return outcome.outcome === 'written' ? { outcome: 'opened', case: opened, customerCreated: created } : { outcome: 'customer-gone' };
}
