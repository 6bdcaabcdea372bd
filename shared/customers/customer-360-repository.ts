import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../access/caller';
import { queryAllPages } from '../aws/query-all-pages';
import { type Activity, activityView } from '../activities/activity';
import { toActivity } from '../activities/activity-repository';
import { type Contact, contactView } from '../contacts/contact';
import type { Deal } from '../deals/deal';
import { dealView } from '../deals/deal-view';
import { type Case, caseView, isActive } from '../cases/case';
import { serviceSummary } from '../cases/service-summary';
import { clock } from '../clock';
import { type Task, taskView } from '../tasks/task';
import { type Process, processView } from '../approvals/approval-process';
import { toProcess } from '../approvals/approval-repository';
import { type Quote, quoteView } from '../quotes/quote';
import { type Order, orderView } from '../orders/order';
import { toSummary } from '../orders/order-repository';
import { type Contract, contractsInOrder, contractView } from '../contracts/contract';
import { purchaseSummaryView } from '../orders/purchases';
import { CustomerNotFound } from '../errors';
import { ACTIVITY_SK_PREFIX, keys, PURCHASE_SUMMARY_SK, withoutStorageAttributes } from '../keys';
import { readableThroughPool } from '../pools/pool-access';
import type { PoolReader } from '../pools/pool-repository';
import { assertLive, canRead, type Customer, customerView } from './customer';
import { toCustomer } from './customer-repository';

/** The first sort key after every `ACT#...` item: `#` (0x23) is followed by `$` (0x24). */
const AFTER_ACTIVITIES = 'ACT$';
export const LATEST_ACTIVITIES = 20;

/** Record kinds of the item collection, by sort-key prefix; later issues add items, not queries. */
const SECTIONS = { 'CONTACT#': 'contacts', 'DEAL#': 'deals', 'OWNER#': 'ownershipHistory', 'TASK#': 'tasks', 'CASE#': 'cases', 'PROC#': 'processes', 'QUOTE#': 'quotes', 'ORDER#': 'orders', 'CONTRACT#': 'contracts' } as const;
type Section = (typeof SECTIONS)[keyof typeof SECTIONS];

export interface Customer360 {
  customer: Customer;
  sections: Record<Section, Record<string, unknown>[]>;
  /** The customer's purchase figures item (orders), if any. */
  purchases?: Record<string, unknown>;
  latestActivities: Activity[];
}

/**
 * Everything about one customer in two Queries on its item collection, run in parallel: the
 * records from `ACT$` on (profile, contacts, deals, ownership history...) and the latest
 * activities. Outbox and marker items sort before `A` and are never read.
 */
export class Customer360Reader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(tenantId: string, customerId: string): Promise<Customer360 | undefined> {
    const pk = keys.customerPartition(tenantId, customerId);
    const [records, activities] = await Promise.all([
      queryAllPages(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK >= :from',
        ExpressionAttributeValues: { ':pk': pk, ':from': AFTER_ACTIVITIES },
      }),
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': ACTIVITY_SK_PREFIX },
          ScanIndexForward: false,
          Limit: LATEST_ACTIVITIES,
        }),
      ),
    ]);
    const profile = records.find((item) => item.SK === 'PROFILE');
    if (!profile) return undefined;
    const sections = Object.fromEntries(Object.values(SECTIONS).map((s) => [s, [] as Record<string, unknown>[]])) as Customer360['sections'];
    for (const item of records) {
      const prefix = Object.keys(SECTIONS).find((p) => String(item.SK).startsWith(p)) as keyof typeof SECTIONS | undefined;
      if (prefix) sections[SECTIONS[prefix]].push(withoutStorageAttributes(item));
    }
    const purchases = records.find((item) => item.SK === PURCHASE_SUMMARY_SK);
    return { customer: toCustomer(profile), sections, purchases, latestActivities: (activities.Items ?? []).map(toActivity) };
  }

}


/** Two Queries; a third request (the pool's GetItem) only for a caller who may read the customer as a member of its pool. */
export async function getCustomer360(reader: Customer360Reader, caller: Caller, customerId: string, pools?: PoolReader) {
  const view = await reader.read(caller.tenantId, customerId);
  if (!view) throw new CustomerNotFound(customerId);
  assertLive(view.customer);
  if (!canRead(caller, view.customer) && !(await readableThroughPool(pools, caller, view.customer))) throw new CustomerNotFound(customerId);
  return {
    customer: customerView(view.customer),
    consent: view.customer.consent,
    ...view.sections,
    contacts: view.sections.contacts.map((c) => contactView(c as unknown as Contact)),
    deals: view.sections.deals.map((d) => dealView(d as unknown as Deal)),
    tasks: tasksInOrder(view.sections.tasks as unknown as Task[]).map(taskView),
    cases: casesInOrder(view.sections.cases as unknown as Case[]).map(caseView),
    service: serviceSummary(view.sections.cases as unknown as Case[], clock.nowMs()),
    processes: processesInOrder(view.sections.processes.map((p) => toProcess(p))).map(processView),
    quotes: (view.sections.quotes as unknown as Quote[]).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).map(quoteView),
    orders: (view.sections.orders as unknown as Order[]).sort((a, b) => b.placedAt.localeCompare(a.placedAt)).map(orderView),
    contracts: contractsInOrder(view.sections.contracts as unknown as Contract[]).map((c) => contractView(c, clock.nowIso().slice(0, 10))),
    purchases: purchaseSummaryView(toSummary(view.purchases)),
    latestActivities: view.latestActivities.map(activityView),
  };
}

/** Running processes first, oldest first (the longest waiting on top); then ended ones, latest first. */
function processesInOrder(processes: Process[]): Process[] {
  const running = processes.filter((p) => p.status === 'running').sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const ended = processes.filter((p) => p.status !== 'running').sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''));
  return [...running, ...ended];
}

/** Active cases first, oldest first (the longest waiting on top); then done ones, latest first. */
function casesInOrder(cases: Case[]): Case[] {
  const active = cases.filter((c) => isActive(c.status)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const done = cases.filter((c) => !isActive(c.status)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return [...active, ...done];
}

/** Open tasks first, soonest due first; then done ones, latest completed first. */
function tasksInOrder(tasks: Task[]): Task[] {
  const open = tasks.filter((t) => t.status === 'open').sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const done = tasks.filter((t) => t.status !== 'open').sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? ''));
  return [...open, ...done];
}
