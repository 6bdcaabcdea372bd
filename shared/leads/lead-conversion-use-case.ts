import { customerCreatedV1 } from '../../events/customer-created.v1';
import { leadConvertedV1 } from '../../events/lead-converted.v1';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { contactView } from '../contacts/contact';
import { assertLive, canRead, canWrite, type Customer, customerView } from '../customers/customer';
import type { CustomerRepository } from '../customers/customer-repository';
import type { OutboxEvent } from '../deals/deal-items';
import { type DealCreation, planDealCreation, resolveOwner } from '../deals/deal-use-cases';
import { dealView } from '../deals/deal-view';
import { Forbidden, LeadNotFound, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { type EventContext, newEvent } from '../outbox/outbox';
import type { Pipeline } from '../pipelines/pipeline';
import type { PipelineRepository } from '../pipelines/pipeline-repository';
import type { UserDirectory } from '../users/user-repository';
import { canQualifyLead, canReadLead, type Lead } from './lead';
import {
  contactFromLead,
  conversionActivity,
  convertedLead,
  type ConvertLeadInput,
  customerFromLead,
  type NewCustomerOwner,
  newCustomerOwnerId,
  underDeal,
} from './lead-conversion';
import { type ConversionCustomer, conversionItems } from './lead-conversion-items';
import type { LeadConversionRepository } from './lead-conversion-repository';
import { ConversionConflict, ConversionDuplicate, LeadConverted, LeadDisqualified } from './lead-errors';
import type { LeadRepository } from './lead-repository';
import { NO_SCORING, scoreLead } from './lead-scoring';

/**
 * `POST /leads/{id}/convert` (docs/leads.md#conversion): read the lead (and the customer to attach
 * to), decide with the pure functions, commit everything in one transaction. A lost race re-reads
 * and decides again, so a second conversion of one lead ends in 409 `lead-converted`.
 */

export interface ConversionDeps {
  leads: Pick<LeadRepository, 'load' | 'settings'>;
  customers: Pick<CustomerRepository, 'get'>;
  pipelines: Pick<PipelineRepository, 'get'>;
  users: Pick<UserDirectory, 'get'>;
  conversions: Pick<LeadConversionRepository, 'commit' | 'tableName'>;
}

/** A lead or customer that keeps changing under the conversion gives up after this many rounds (409). */
const MAX_ROUNDS = 4;

const eventContext = (caller: Caller, correlationId: string): EventContext => ({ tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId });

/** Who may convert: whoever may decide on the lead (its rep, a manager, an admin); only open leads. */
function assertConvertible(caller: Caller, lead: Lead): void {
  if (!canQualifyLead(caller, lead)) throw new Forbidden('Only the lead owner, a manager or an admin may convert a lead');
  if (lead.convertedCustomerId) throw new LeadConverted(lead.id, lead.convertedCustomerId);
  if (lead.status === 'disqualified') throw new LeadDisqualified(lead.id);
}

/** The customer to attach to: unknown and unreadable ids are a 400 at `customerId`, as for `POST /deals`. */
async function customerToAttach(deps: ConversionDeps, caller: Caller, customerId: string): Promise<Customer> {
  const customer = await deps.customers.get(caller.tenantId, customerId);
  if (!customer || !canRead(caller, customer)) throw new ValidationFailed([{ path: 'customerId', message: 'No such customer' }]);
  assertLive(customer);
  if (!canWrite(caller, customer)) throw new Forbidden('Only the customer\'s owner, a manager or an admin may attach a lead to it');
  return customer;
}

/** The team goes with the owner: the caller's own, else the directory's, else the lead's routing team. */
async function newCustomerOwner(deps: ConversionDeps, caller: Caller, lead: Lead): Promise<NewCustomerOwner | null> {
  const id = newCustomerOwnerId(lead, caller);
  if (id === null) return null;
  if (id === caller.userId) return { id, teamId: caller.teamId ?? null };
  return { id, teamId: (await deps.users.get(caller.tenantId, id))?.teamId ?? lead.teamId };
}

async function target(deps: ConversionDeps, caller: Caller, lead: Lead, input: ConvertLeadInput, correlationId: string, nowIso: string): Promise<ConversionCustomer> {
  if (input.customerId !== undefined) return { created: false, customer: await customerToAttach(deps, caller, input.customerId) };
  const owner = await newCustomerOwner(deps, caller, lead);
  const customer = customerFromLead(lead, input.company, owner, input.deal !== undefined, caller, newId(), nowIso);
  const created = newEvent(customerCreatedV1, eventContext(caller, correlationId), {
    customerId: customer.id, kind: customer.kind, name: customer.name, primaryEmail: customer.emails[0] ?? null,
    ownerId: customer.ownerId, lifecycleStage: customer.lifecycleStage, consent: Object.fromEntries(Object.entries(customer.consent).map(([topic, r]) => [topic, r.granted])),
  });
  return { created: true, customer, events: [{ detailType: customerCreatedV1.detailType, detail: created }] };
}

async function planDeal(deps: ConversionDeps, caller: Caller, customer: Customer, input: ConvertLeadInput, pipeline: Pipeline | undefined, correlationId: string): Promise<DealCreation | null> {
  if (!input.deal || !pipeline) return null;
  const owner = await resolveOwner(deps, caller, customer, input.deal.ownerId ?? customer.ownerId ?? caller.userId);
  try {
    return planDealCreation(deps.conversions.tableName, caller, { ...input.deal, customerId: customer.id }, pipeline, owner, correlationId);
  } catch (error) {
    throw underDeal(error);
  }
}

export async function convertLead(deps: ConversionDeps, caller: Caller, leadId: string, input: ConvertLeadInput, correlationId: string) {
  const pipeline = input.deal ? await deps.pipelines.get(caller.tenantId, input.deal.pipelineId) : undefined;
  if (input.deal && !pipeline) throw new ValidationFailed([{ path: 'deal.pipelineId', message: 'No such pipeline' }]);
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const [loaded, settings] = await Promise.all([deps.leads.load(caller.tenantId, leadId), deps.leads.settings(caller.tenantId)]);
    if (!loaded || !canReadLead(caller, loaded.lead)) throw new LeadNotFound(leadId);
    const { lead, signals } = loaded;
    assertConvertible(caller, lead);

    const nowIso = clock.nowIso();
    const customerTarget = await target(deps, caller, lead, input, correlationId, nowIso);
    const customer = customerTarget.customer;
    const deal = await planDeal(deps, caller, customer, input, pipeline, correlationId);
    const contact = contactFromLead(lead, customer, caller, newId(), nowIso);
    const score = scoreLead(settings.scoring ?? NO_SCORING, lead, signals, clock.nowMs()).score;
    const activity = conversionActivity(lead, signals, score, customer.id, caller, newId(), nowIso);
    const record = { at: nowIso, userId: caller.userId, customerId: customer.id, customerCreated: customerTarget.created, contactId: contact?.id ?? null, dealId: deal?.deal.id ?? null, activityId: activity.id };
    const converted: OutboxEvent = {
      detailType: leadConvertedV1.detailType,
      detail: newEvent(leadConvertedV1, eventContext(caller, correlationId), {
        leadId: lead.id, customerId: customer.id, customerCreated: record.customerCreated, contactId: record.contactId, dealId: record.dealId,
        activityId: activity.id, leadOwnerId: lead.ownerId, customerOwnerId: customer.ownerId,
      }),
    };
    const { items, guards } = conversionItems(deps.conversions.tableName, {
      before: lead, after: convertedLead(lead, record), target: customerTarget, contact, activity, deal, leadEvents: [converted], nowIso,
    });

    const result = await deps.conversions.commit(items);
    if (result.ok) {
      return { leadId: lead.id, ...record, customer: customerView(customer), contact: contact ? contactView(contact) : null, deal: deal ? dealView(deal.deal) : null };
    }
    const { failure } = result;
    // The lead or the customer changed since it was read: read again and decide again (a winner's conversion answers 409).
    if (failure.failed('lead') || failure.failed('customer')) continue;
    const clash = [...guards].find(([name]) => failure.failed(name));
    if (clash) throw await duplicate(deps, caller, leadId, clash[1], failure.current(clash[0]));
    throw new ConversionConflict();
  }
  throw new ConversionConflict();
}

/**
 * A guard of the new customer is held by another customer. A concurrent conversion of this very
 * lead may be that customer (its guard condition can be the only one reported): then the answer is
 * `lead-converted`. Otherwise the clash names the field, and the holder if the caller may read it.
 */
async function duplicate(deps: ConversionDeps, caller: Caller, leadId: string, clash: { field: string; value: string }, holder: Record<string, unknown> | undefined) {
  const again = await deps.leads.load(caller.tenantId, leadId);
  if (again?.lead.convertedCustomerId) return new LeadConverted(leadId, again.lead.convertedCustomerId);
  const holderId = typeof holder?.customerId === 'string' ? holder.customerId : undefined;
  const existing = holderId ? await deps.customers.get(caller.tenantId, holderId) : undefined;
  return new ConversionDuplicate(clash.field, clash.value, existing && canRead(caller, existing) ? existing.id : null);
}
