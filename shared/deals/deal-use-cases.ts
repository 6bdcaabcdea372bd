import { customerStageChangedV1 } from '../../events/customer-stage-changed.v1';
import { customerUpdatedV1 } from '../../events/customer-updated.v1';
import { dealCreatedV1 } from '../../events/deal-created.v1';
import { dealLostV1 } from '../../events/deal-lost.v1';
import { dealStageChangedV1 } from '../../events/deal-stage-changed.v1';
import { dealWonV1 } from '../../events/deal-won.v1';
import { type NamedItem, named } from '../aws/transact-write';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { assertLive, canRead, canWrite, type Customer } from '../customers/customer';
import type { CustomerRepository } from '../customers/customer-repository';
import { Forbidden, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { type EventContext, newEvent } from '../outbox/outbox';
import { findStage, type Pipeline } from '../pipelines/pipeline';
import type { PipelineRepository } from '../pipelines/pipeline-repository';
import type { UserDirectory } from '../users/user-repository';
import {
  applyDealPatch,
  assertMayOwn,
  canReadDeal,
  canWriteDeal,
  type CreateDealInput,
  type Deal,
  type DealFactChange,
  dealFactChange,
  type DealOwner,
  type DealPatch,
  lifecycleAfterWin,
  newDeal,
  type Transition,
} from './deal';
import { DealConflict, DealNotFound, StaleDeal } from './deal-errors';
import { aggregateUpdates, dealHistoryItem, dealItem, type OutboxEvent, outboxPuts, profileWrite } from './deal-items';
import type { DealRepository } from './deal-repository';
import { fromMinor } from './money';

export interface DealDeps {
  deals: DealRepository;
  customers: Pick<CustomerRepository, 'get'>;
  pipelines: Pick<PipelineRepository, 'get'>;
  users: Pick<UserDirectory, 'get'>;
}

/** A customer that keeps changing under a deal write gives up after this many rounds (409). */
const MAX_ROUNDS = 4;

const context = (caller: Caller, correlationId: string): EventContext => ({ tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId });

/** Who owns a deal and their team: the caller's, the customer owner's, or the directory's (also for a lead's conversion). */
export async function resolveOwner(deps: Pick<DealDeps, 'users'>, caller: Caller, customer: Customer, ownerId: string): Promise<DealOwner> {
  assertMayOwn(caller, ownerId);
  if (ownerId === caller.userId) return { id: ownerId, teamId: caller.teamId ?? null };
  if (ownerId === customer.ownerId) return { id: ownerId, teamId: customer.teamId };
  return { id: ownerId, teamId: (await deps.users.get(caller.tenantId, ownerId))?.teamId ?? null };
}

/** The customer a new deal is for: unknown and unreadable ids are a 400 at `customerId`, without saying which. */
async function customerForDeal(deps: DealDeps, caller: Caller, customerId: string): Promise<Customer> {
  const customer = await deps.customers.get(caller.tenantId, customerId);
  if (!customer || !canRead(caller, customer)) throw new ValidationFailed([{ path: 'customerId', message: 'No such customer' }]);
  assertLive(customer);
  if (!canWrite(caller, customer)) throw new Forbidden('Only the customer\'s owner, a manager or an admin may open a deal for it');
  return customer;
}

export interface DealCreation {
  deal: Deal;
  /** Deal (named `deal`), history entry, board aggregate and outbox: everything but the customer profile. */
  items: NamedItem[];
  /** How the customer's deal facts move; a caller that writes the profile itself applies them. */
  facts: DealFactChange;
}

/**
 * The writes of a new deal, without the customer profile and without I/O, so lead conversion can
 * put them into its own transaction next to the customer it creates (with `openDeals: 1`).
 */
export function planDealCreation(tableName: string, caller: Caller, input: CreateDealInput, pipeline: Pipeline, owner: DealOwner, correlationId: string): DealCreation {
  const now = clock.nowIso();
  const deal = newDeal(input, pipeline, owner, caller, newId(), now);
  const event = dealCreatedEvent(caller, correlationId, deal);
  return {
    deal,
    items: [
      { name: 'deal', put: { TableName: tableName, Item: dealItem(deal), ConditionExpression: 'attribute_not_exists(PK)' } },
      { name: 'dealHistory', put: { TableName: tableName, Item: dealHistoryItem(deal.tenantId, deal.customerId, { id: newId(), dealId: deal.id, from: null, to: deal.stageId, actor: { type: 'user', id: caller.userId }, at: now }) } },
      ...aggregateUpdates(tableName, deal.tenantId, deal.pipelineId, null, deal).map((item, i) => named(`board-${i}`, item)),
      ...outboxPuts(tableName, deal.tenantId, deal.customerId, [event]).map((item, i) => named(`dealEvent-${i}`, item)),
    ],
    facts: dealFactChange(null, deal),
  };
}

/** `crm.deal.created.v1` of a new deal. */
export function dealCreatedEvent(caller: Caller, correlationId: string, deal: Deal): OutboxEvent {
  return {
    detailType: dealCreatedV1.detailType,
    detail: newEvent(dealCreatedV1, context(caller, correlationId), {
      dealId: deal.id, customerId: deal.customerId, pipelineId: deal.pipelineId, stageId: deal.stageId, ownerId: deal.ownerId,
      amount: fromMinor(deal.amountMinor), currency: deal.currency, expectedCloseDate: deal.expectedCloseDate,
    }),
  };
}

/** POST /deals: the deal, its history, the board aggregate and the customer's deal facts in one transaction. */
export async function createDeal(deps: DealDeps, caller: Caller, input: CreateDealInput, correlationId: string): Promise<Deal> {
  const pipeline = await deps.pipelines.get(caller.tenantId, input.pipelineId);
  if (!pipeline) throw new ValidationFailed([{ path: 'pipelineId', message: 'No such pipeline' }]);
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const customer = await customerForDeal(deps, caller, input.customerId);
    const owner = await resolveOwner(deps, caller, customer, input.ownerId ?? customer.ownerId ?? caller.userId);
    const plan = planDealCreation(deps.deals.tableName, caller, input, pipeline, owner, correlationId);
    const items = [named('profile', profileWrite(deps.deals.tableName, customer, customer, plan.facts, plan.deal.createdAt)), ...plan.items];
    const result = await deps.deals.commit(items);
    if (result.ok) return plan.deal;
  }
  throw new DealConflict();
}

/** A deal and its stage history, for whoever reads its customer or owns it. */
export async function getDeal(deps: DealDeps, caller: Caller, dealId: string) {
  const { deal } = await readableDeal(deps, caller, dealId);
  return { deal, history: await deps.deals.history(caller.tenantId, deal.customerId, deal.id) };
}

async function readableDeal(deps: DealDeps, caller: Caller, dealId: string): Promise<{ deal: Deal; customer: Customer }> {
  const deal = dealId ? await deps.deals.get(caller.tenantId, dealId) : undefined;
  if (!deal) throw new DealNotFound(dealId);
  const customer = await deps.customers.get(caller.tenantId, deal.customerId);
  if (!customer || !canReadDeal(caller, customer, deal)) throw new DealNotFound(dealId);
  assertLive(customer);
  return { deal, customer };
}

/** The events of a deal's change: its move, close or reopen, and the customer's lifecycle stage a win moved. */
export function transitionEvents(caller: Caller, correlationId: string, before: Deal, after: Deal, transition: Transition, pipeline: Pipeline, customerBefore: Customer, customerAfter: Customer): OutboxEvent[] {
  const ctx = context(caller, correlationId);
  const ids = { dealId: after.id, customerId: after.customerId, pipelineId: after.pipelineId };
  const events: OutboxEvent[] = [];
  if (transition.kind === 'moved' || transition.kind === 'reopened') {
    const data = {
      ...ids, fromStageId: before.stageId, toStageId: after.stageId, fromStatus: before.status,
      probability: findStage(pipeline, after.stageId)?.probability ?? 0, ownerId: after.ownerId, version: after.version,
    };
    events.push({ detailType: dealStageChangedV1.detailType, detail: newEvent(dealStageChangedV1, ctx, data) });
  } else if (transition.kind === 'won' || transition.kind === 'lost') {
    const data = { ...ids, stageId: after.stageId, ownerId: after.ownerId, amount: fromMinor(after.amountMinor), currency: after.currency, closedAt: after.closedAt, version: after.version };
    events.push(
      transition.kind === 'won'
        ? { detailType: dealWonV1.detailType, detail: newEvent(dealWonV1, ctx, data) }
        : { detailType: dealLostV1.detailType, detail: newEvent(dealLostV1, ctx, data) },
    );
  }
  if (customerAfter.lifecycleStage !== customerBefore.lifecycleStage) {
    const customerId = customerAfter.id;
    events.push(
      { detailType: customerUpdatedV1.detailType, detail: newEvent(customerUpdatedV1, ctx, { customerId, changedFields: ['lifecycleStage'], version: customerAfter.version }) },
      {
        detailType: customerStageChangedV1.detailType,
        detail: newEvent(customerStageChangedV1, ctx, { customerId, from: customerBefore.lifecycleStage, to: customerAfter.lifecycleStage, ownerId: customerAfter.ownerId }),
      },
    );
  }
  return events;
}

/** The customer after a deal write: a won deal moves it to `customer` (never backwards), a real edit. */
export function customerAfterDeal(customer: Customer, transition: Transition, caller: Caller, nowIso: string): Customer {
  const stage = transition.kind === 'won' ? lifecycleAfterWin(customer.lifecycleStage) : null;
  return stage ? { ...customer, lifecycleStage: stage, updatedAt: nowIso, updatedBy: caller.userId, version: customer.version + 1 } : customer;
}

/**
 * PATCH /deals/{id} at the version the client read: fields, stage moves (validated against the pipeline), won/lost
 * with reason, reopen. The deal write is conditional on its version (412 when stale); the profile
 * on the version the access decision read (a change of owner meanwhile re-reads and decides again).
 */
export async function updateDeal(deps: DealDeps, caller: Caller, dealId: string, patch: DealPatch, expected: number, correlationId: string): Promise<Deal> {
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const { deal, customer } = await readableDeal(deps, caller, dealId);
    if (!canWriteDeal(caller, customer, deal)) throw new Forbidden('Only the deal\'s owner, or whoever may change its customer, may change this deal');
    if (deal.version !== expected) throw new StaleDeal(deal.version);
    const pipeline = await deps.pipelines.get(caller.tenantId, deal.pipelineId);
    if (!pipeline) throw new DealNotFound(dealId);
    const owner = patch.ownerId === undefined || patch.ownerId === deal.ownerId ? undefined : await resolveOwner(deps, caller, customer, patch.ownerId);
    const now = clock.nowIso();
    const { after, transition } = applyDealPatch(deal, patch, pipeline, owner, caller, now);
    if (after === deal) return deal;

    const table = deps.deals.tableName;
    const customerAfter = customerAfterDeal(customer, transition, caller, now);
    const history = transition.kind === 'none' ? [] : [dealHistoryItem(deal.tenantId, deal.customerId, {
      id: newId(), dealId: deal.id, from: transition.kind === 'reopened' ? transition.from : deal.stageId,
      to: transition.kind === 'won' || transition.kind === 'lost' ? transition.kind : after.stageId, actor: { type: 'user', id: caller.userId }, at: now,
    })];
    const items: NamedItem[] = [
      named('profile', profileWrite(table, customer, customerAfter, dealFactChange(deal, after), now)),
      {
        name: 'deal',
        put: {
          TableName: table, Item: dealItem(after),
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expected },
        },
        returnCurrent: true,
      },
      ...history.map((Item, i): NamedItem => ({ name: `dealHistory-${i}`, put: { TableName: table, Item } })),
      ...aggregateUpdates(table, deal.tenantId, deal.pipelineId, deal, after).map((item, i) => named(`board-${i}`, item)),
      ...outboxPuts(table, deal.tenantId, deal.customerId, transitionEvents(caller, correlationId, deal, after, transition, pipeline, customer, customerAfter)).map((item, i) => named(`dealEvent-${i}`, item)),
    ];
    const result = await deps.deals.commit(items);
    if (result.ok) return after;
    if (result.failed === 'deal') {
      if (!result.current) throw new DealNotFound(dealId);
      throw new StaleDeal(Number(result.current.version));
    }
  }
  throw new DealConflict();
}
