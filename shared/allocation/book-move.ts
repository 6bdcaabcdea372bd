import type { NamedItem } from '../aws/transact-write';
import type { Customer } from '../customers/customer';
import type { Deal } from '../deals/deal';
import { dealItem } from '../deals/deal-items';
import { keys } from '../keys';
import type { Task } from '../tasks/task';
import { taskItem } from '../tasks/task-repository';

/**
 * A customer's business that changes hands with it (docs/allocation.md, "Transfers move the
 * book"): its open deals, and the open tasks its previous owner had on it. Closed deals keep their
 * historical owner; tasks of other people (a manager's own) stay theirs. Into a pool (release,
 * reclaim) the open deals go unowned and the tasks wait with their assignee until someone takes
 * the customer, who gets both.
 */
export interface Book {
  deals: Deal[];
  tasks: Task[];
}

/** A change of owner may move at most this many deals and tasks with the profile in one transaction (100 items, less the operation's own). */
export const MAX_BOOK_ITEMS = 80;

export const BOOK_ITEM_PREFIX = 'book-';

/**
 * The Puts that move the book to `to`, each conditional on the version read, so a deal or task
 * edited meanwhile fails the transaction and the operation reads again.
 */
export function bookMoveItems(tableName: string, before: Customer, book: Book, to: { ownerId: string | null; teamId: string | null }, actorId: string, nowIso: string): NamedItem[] {
  // Whose tasks go: the owner's; for a customer out of a pool, those its last owner left behind.
  const from = before.ownerId ?? before.previousOwnerId;
  const touched = <T extends { version: number }>(record: T) => ({ ...record, updatedAt: nowIso, updatedBy: actorId, version: record.version + 1 });
  const deals = book.deals
    .filter((d) => d.status === 'open' && d.ownerId !== to.ownerId)
    .map((d) => ({ before: d, item: dealItem({ ...touched(d), ownerId: to.ownerId, teamId: to.teamId }) }));
  const tasks = book.tasks
    .filter((t) => to.ownerId !== null && t.status === 'open' && from !== null && t.assigneeId === from && t.assigneeId !== to.ownerId)
    .map((t) => ({ before: t, item: taskItem(before.tenantId, keys.customerPartition(before.tenantId, before.id), { ...touched(t), assigneeId: to.ownerId! }) }));
  return [...deals, ...tasks].map(({ before: read, item }, i) => ({
    name: `${BOOK_ITEM_PREFIX}${i}`,
    put: { TableName: tableName, Item: item, ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': read.version } },
  }));
}
