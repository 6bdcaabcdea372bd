import { GetCommand, type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { keys, TABLE_INDEXES, TASK_REMINDERS_PK, TASK_SK_PREFIX, withoutStorageAttributes } from '../keys';
import { decodeIndexCursor, encodeCursor } from '../pagination';
import { outboxItem } from '../outbox/outbox';
import { reminderPending, type Task, type TaskStatus } from './task';

export interface TaskEvent {
  detailType: string;
  detail: { id: string };
}

/** A task as stored, with the partition it lives in (its customer's or its lead's). */
export interface StoredTask {
  task: Task;
  tenantId: string;
  partition: string;
}

export interface TaskPage {
  items: Task[];
  cursor: string | null;
}

/** A reminder the sweep found due: enough to claim it without reading the task first. */
export interface DueReminder {
  tenantId: string;
  taskId: string;
  partition: string;
  sortKey: string;
  dueKey: string;
}

/**
 * How a task transaction ended: written, or stopped by the task's own condition (a create: the id
 * exists, a replay; a replace: another write came first, `current` is the task now), or by its
 * record being gone (merged, erased, deleted).
 */
export type TaskWriteOutcome = { outcome: 'written' } | { outcome: 'task-condition'; current?: Task } | { outcome: 'parent-gone' };

/**
 * Tasks in the table (docs/tasks.md): the item in its record's partition, found by id through
 * GSI3, listed per assignee through GSI1, and waiting for its reminder in GSI2. Every write puts
 * the whole item, so the index keys always follow the record.
 */
export class TaskRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** The Put of a new task (fails its condition if the id is taken: a replayed event). */
  createItem(tenantId: string, partition: string, task: Task): NamedItem {
    return { name: 'task', put: { TableName: this.tableName, Item: taskItem(tenantId, partition, task), ConditionExpression: 'attribute_not_exists(PK)' } };
  }

  /** The Put of a changed task, only over the version it was read at (and, with `open`, only while still open). */
  replaceItem(tenantId: string, partition: string, task: Task, expectedVersion: number, open = false): NamedItem {
    return {
      name: 'task',
      returnCurrent: true,
      put: {
        TableName: this.tableName,
        Item: taskItem(tenantId, partition, task),
        ConditionExpression: `#version = :expected${open ? ' AND #status = :open' : ''}`,
        ExpressionAttributeNames: { '#version': 'version', ...(open ? { '#status': 'status' } : {}) },
        ExpressionAttributeValues: { ':expected': expectedVersion, ...(open ? { ':open': 'open' } : {}) },
      },
    };
  }

  eventItem(partition: string, event: TaskEvent): NamedItem {
    return { name: `event-${event.detail.id}`, put: { TableName: this.tableName, Item: outboxItem(partition, event.detailType, event.detail) } };
  }

  /** The record the task follows up is still there (a live customer, or the lead). */
  parentCheck(tenantId: string, task: Task): NamedItem {
    if (task.customerId) {
      const Key = keys.customer(tenantId, task.customerId);
      return { name: 'parent', conditionCheck: { TableName: this.tableName, Key, ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES } };
    }
    return { name: 'parent', conditionCheck: { TableName: this.tableName, Key: keys.lead(tenantId, task.leadId!), ConditionExpression: 'attribute_exists(PK)' } };
  }

  /** Writes items built above in one transaction, and says which condition stopped it. */
  async commit(items: NamedItem[]): Promise<TaskWriteOutcome> {
    try {
      await transactWrite(this.db, items);
      return { outcome: 'written' };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (items.some((i) => i.name === 'parent') && error.failed('parent')) return { outcome: 'parent-gone' };
      if (error.failed('task')) {
        const current = error.current('task');
        return current ? { outcome: 'task-condition', current: toTask(current) } : { outcome: 'task-condition' };
      }
      throw error;
    }
  }

  /** By id: GSI3 finds the item's key, then a consistent read of the item itself. */
  async get(tenantId: string, taskId: string): Promise<StoredTask | undefined> {
    const found = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi3.name,
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK = :sk',
        ExpressionAttributeValues: { ':pk': keys.taskById(tenantId, taskId).GSI3PK, ':sk': 'TASK' },
        ProjectionExpression: 'PK, SK',
      }),
    );
    const key = found.Items?.[0];
    if (!key) return undefined;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: key.PK, SK: key.SK }, ConsistentRead: true }));
    return Item ? { task: toTask(Item), tenantId, partition: String(Item.PK) } : undefined;
  }

  /** One page of an assignee's open or done tasks, in a key range of its sort key. */
  async list(
    tenantId: string,
    assigneeId: string,
    range: { status: TaskStatus; from?: string; before?: string; newestFirst: boolean },
    limit: number,
    cursor: string | undefined,
  ): Promise<TaskPage> {
    const partition = keys.assigneeTasks(tenantId, assigneeId, range.status);
    const startKey = decodeIndexCursor(cursor, TABLE_INDEXES.gsi1, partition, (key) => key.PK.startsWith(`T#${tenantId}#`) && key.SK.startsWith(TASK_SK_PREFIX));
    const bounds =
      range.from !== undefined && range.before !== undefined
        ? { cond: ' AND GSI1SK BETWEEN :from AND :before', values: { ':from': range.from, ':before': range.before } }
        : range.from !== undefined
          ? { cond: ' AND GSI1SK >= :from', values: { ':from': range.from } }
          : range.before !== undefined
            ? { cond: ' AND GSI1SK < :before', values: { ':before': range.before } }
            : { cond: '', values: {} };
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi1.name,
        KeyConditionExpression: `GSI1PK = :pk${bounds.cond}`,
        ExpressionAttributeValues: { ':pk': partition, ...bounds.values },
        ScanIndexForward: !range.newestFirst,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { items: (result.Items ?? []).map(toTask), cursor: encodeCursor(result.LastEvaluatedKey) };
  }

  /** Reminders due by now, oldest first (the sweep's one Query per page). */
  async dueReminders(nowIso: string, limit: number): Promise<DueReminder[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi2.name,
        // `#` sorts before `$`: every `<remindAt>#...` with remindAt <= now.
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :upTo',
        ExpressionAttributeValues: { ':pk': TASK_REMINDERS_PK, ':upTo': `${nowIso}$` },
        ProjectionExpression: 'PK, SK, GSI2SK, tenantId, id',
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((i) => ({ tenantId: String(i.tenantId), taskId: String(i.id), partition: String(i.PK), sortKey: String(i.SK), dueKey: String(i.GSI2SK) }));
  }

  /**
   * Claims a due reminder for one sender: its index entry moves `leaseMs` later, only if it is
   * still where the sweep saw it. A sender that dies after this leaves the entry to come due again
   * once the lease is over; two sweeps cannot both claim it. Answers the task, or undefined.
   */
  async claimReminder(due: DueReminder, leaseUntilIso: string): Promise<Task | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: due.partition, SK: due.sortKey },
          UpdateExpression: 'SET GSI2SK = :lease',
          ConditionExpression: 'GSI2SK = :seen',
          ExpressionAttributeValues: { ':lease': `${leaseUntilIso}#${due.tenantId}#${due.taskId}`, ':seen': due.dueKey },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? toTask(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * The reminder went out (or cannot: `failure`): out of the due index, unless the task changed
   * since the claim (a new `remindAt` stays armed).
   */
  async finishReminder(due: DueReminder, leaseUntilIso: string, sentAtIso: string, failure: string | null): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: due.partition, SK: due.sortKey },
          UpdateExpression: `SET ${failure ? 'reminderFailure = :failure' : 'reminderSentAt = :sent'} REMOVE GSI2PK, GSI2SK`,
          ConditionExpression: 'GSI2SK = :lease',
          ExpressionAttributeValues: { ':lease': `${leaseUntilIso}#${due.tenantId}#${due.taskId}`, ...(failure ? { ':failure': failure } : { ':sent': sentAtIso }) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** The task item with its index keys, as every write stores it (also a transfer's, shared/allocation). */
export function taskItem(tenantId: string, partition: string, task: Task): Record<string, unknown> {
  const listed = task.status === 'open' ? task.dueAt : (task.completedAt ?? task.updatedAt);
  return {
    ...keys.task(partition, task.id),
    ...keys.taskById(tenantId, task.id),
    GSI1PK: keys.assigneeTasks(tenantId, task.assigneeId, task.status),
    GSI1SK: `${listed}#${task.id}`,
    ...(reminderPending(task) ? keys.taskReminderDue(task.remindAt!, tenantId, task.id) : {}),
    entity: 'Task',
    tenantId,
    ...task,
  };
}

export function toTask(item: Record<string, unknown>): Task {
  const record = withoutStorageAttributes(item);
  delete record.tenantId;
  return record as unknown as Task;
}
