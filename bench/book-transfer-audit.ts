import { DEAL_SK_PREFIX, OUTBOX_SK_PREFIX, TASK_SK_PREFIX } from '../shared/keys';

/**
 * What the book-transfer benchmark counts and checks, as plain functions of the items it reads
 * (bench/book-transfer.ts, docs/benchmarks.md "Book transfer").
 *
 * "Items that must change" in a hand-over: per customer its profile (the owner), each open deal
 * (its owner and team) and each open task its owner had on it (the assignee). The ownership
 * history entry and the `crm.customer.assigned.v1` outbox item are not counted: they are new
 * records the hand-over adds (the audit trail and the event), not state that must change; the
 * benchmark reports the ratio with them as well.
 */
export interface HandOverSize {
  customers: number;
  openDeals: number;
  openTasks: number;
}

export const itemsThatMustChange = (size: HandOverSize): number => size.customers + size.openDeals + size.openTasks;
/** The same, with each customer's history entry and event counted as items the hand-over must write. */
export const itemsWithRecords = (size: HandOverSize): number => itemsThatMustChange(size) + 2 * size.customers;

/** One customer's partition after the hand-over, as far as the exactly-once check needs it. */
export interface PartitionAudit {
  ownedByTarget: boolean;
  /** Ownership history entries `assigned` from the source to the target. */
  assignedEntries: number;
  /** `crm.customer.assigned.v1` outbox items from the source to the target. */
  assignedEvents: number;
  openDeals: number;
  openDealsOfTarget: number;
  closedDeals: number;
  closedDealsKept: number;
  openTasks: number;
  openTasksOfTarget: number;
}

type Item = Record<string, unknown>;
const sk = (item: Item) => String(item.SK ?? '');

/** Reads one customer's partition (profile, history, outbox, deals, tasks) after a hand-over from `from` to `to`. */
export function auditPartition(items: readonly Item[], from: string, to: string): PartitionAudit {
  const profile = items.find((i) => sk(i) === 'PROFILE');
  const deals = items.filter((i) => sk(i).startsWith(DEAL_SK_PREFIX));
  const tasks = items.filter((i) => sk(i).startsWith(TASK_SK_PREFIX) && i.status === 'open');
  const open = deals.filter((d) => d.status === 'open');
  const closed = deals.filter((d) => d.status !== 'open');
  const event = (i: Item) => (i.detail as { data?: { fromOwnerId?: string; toOwnerId?: string } } | undefined)?.data;
  return {
    ownedByTarget: profile?.ownerId === to,
    assignedEntries: items.filter((i) => i.entity === 'OwnershipChange' && i.reason === 'assigned' && i.from === from && i.to === to).length,
    assignedEvents: items.filter((i) => sk(i).startsWith(OUTBOX_SK_PREFIX) && i.detailType === 'crm.customer.assigned.v1' && event(i)?.fromOwnerId === from && event(i)?.toOwnerId === to).length,
    openDeals: open.length,
    openDealsOfTarget: open.filter((d) => d.ownerId === to).length,
    closedDeals: closed.length,
    closedDealsKept: closed.filter((d) => d.ownerId === from).length,
    openTasks: tasks.length,
    openTasksOfTarget: tasks.filter((t) => t.assigneeId === to).length,
  };
}

/** Every customer moved exactly once, with its whole book; the numbers of those that were not. */
export function exactlyOnce(audits: readonly PartitionAudit[]) {
  const count = (test: (a: PartitionAudit) => boolean) => audits.filter(test).length;
  const failures = {
    notOwnedByTarget: count((a) => !a.ownedByTarget),
    historyEntriesNotOne: count((a) => a.assignedEntries !== 1),
    eventsNotOne: count((a) => a.assignedEvents !== 1),
    openDealsLeftBehind: audits.reduce((s, a) => s + a.openDeals - a.openDealsOfTarget, 0),
    closedDealsMoved: audits.reduce((s, a) => s + a.closedDeals - a.closedDealsKept, 0),
    openTasksLeftBehind: audits.reduce((s, a) => s + a.openTasks - a.openTasksOfTarget, 0),
  };
  return { ok: Object.values(failures).every((n) => n === 0), failures };
}

/**
 * Attribute names that an API-written item has and a directly seeded one lacks, or the reverse,
 * per kind (the profile, an open deal, an open task): directly seeded items must look like the
 * API's for the hand-over to do the same work on them.
 */
export function shapeDifferences(api: readonly Item[], direct: readonly Item[]): Record<string, { onlyApi: string[]; onlyDirect: string[] }> {
  const kinds: [string, (i: Item) => boolean][] = [
    ['profile', (i) => sk(i) === 'PROFILE'],
    ['open deal', (i) => sk(i).startsWith(DEAL_SK_PREFIX) && i.status === 'open'],
    ['open task', (i) => sk(i).startsWith(TASK_SK_PREFIX) && i.status === 'open'],
  ];
  const out: Record<string, { onlyApi: string[]; onlyDirect: string[] }> = {};
  for (const [kind, test] of kinds) {
    const a = api.find(test);
    const d = direct.find(test);
    if (!a || !d) continue;
    const onlyApi = Object.keys(a).filter((k) => !(k in d)).sort();
    const onlyDirect = Object.keys(d).filter((k) => !(k in a)).sort();
    if (onlyApi.length || onlyDirect.length) out[kind] = { onlyApi, onlyDirect };
  }
  return out;
}
