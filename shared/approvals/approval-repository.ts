import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { APPROVAL_DUE_PK, keys, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import { customerEventItem } from '../outbox/outbox';
import { decodeIndexCursor, encodeCursor } from '../pagination';
import { type ApprovalKind, type ApprovalPolicy, defaultPolicy } from './approval-policy';
import type { Approval, HistoryEntry, Process, ProcessStatus } from './approval-process';

/** How a process transaction ended: written, or stopped by the named items' conditions (with those items as they are, where asked). */
export type ProcessWriteOutcome = { outcome: 'written' } | { outcome: 'condition-failed'; item: string; failures: readonly { name: string; current?: Record<string, unknown> }[] };

/** An approval the escalation sweep found past its time limit: enough to load its process. */
export interface DueApproval {
  tenantId: string;
  approvalId: string;
  processId: string;
}

/** Names the no-delegation checks of a step's opening (`noDelegationCheck`). */
export const NO_DELEGATION_PREFIX = 'no-delegation-';

export interface ApprovalPage {
  items: Approval[];
  cursor: string | null;
}

/**
 * Approval policies, processes and approvals in the table (docs/processes.md, "Approvals"). A
 * process and its approvals live in the customer's partition (the process in the 360 view's
 * `PROC#` range, approvals as `$` bookkeeping) and share one GSI3 collection, which is how a
 * decision reads them in one Query; approvals are in their approver's inbox through GSI1.
 */
export class ApprovalRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async policy(tenantId: string, kind: ApprovalKind): Promise<ApprovalPolicy> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.approvalPolicy(tenantId, kind) }));
    return Item ? (withoutStorageAttributes(Item) as unknown as ApprovalPolicy) : defaultPolicy(kind);
  }

  /** Writes the policy over the version read (0: the built-in default); false when another write came first. */
  async putPolicy(tenantId: string, policy: ApprovalPolicy, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.approvalPolicy(tenantId, policy.kind), entity: 'ApprovalPolicy', ...policy },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(PK)' : '#version = :expected',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A process with every approval it opened: one Query of its GSI3 collection. */
  async load(tenantId: string, processId: string): Promise<{ process: Process; approvals: Approval[] } | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi3.name,
        KeyConditionExpression: 'GSI3PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.processCollection(tenantId, processId) },
      }),
    );
    const items = result.Items ?? [];
    const process = items.find((i) => i.GSI3SK === 'PROC');
    if (!process) return undefined;
    return { process: toProcess(process), approvals: items.filter((i) => String(i.GSI3SK).startsWith('APR#')).map(toApproval) };
  }

  /** One page of an approver's pending or done approvals, oldest first. */
  async inbox(tenantId: string, approverId: string, status: 'pending' | 'done', limit: number, cursor: string | undefined): Promise<ApprovalPage> {
    const partition = keys.approvalInbox(tenantId, approverId, status);
    const startKey = decodeIndexCursor(cursor, TABLE_INDEXES.gsi1, partition, (key) => key.PK.startsWith(`T#${tenantId}#`) && key.SK.startsWith('$APR#'));
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi1.name,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: status === 'pending',
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { items: (result.Items ?? []).map(toApproval), cursor: encodeCursor(result.LastEvaluatedKey) };
  }

  /** The Put of a process: new (`expectedVersion` undefined) or over the version it was read at. */
  processItem(tenantId: string, process: Process, expectedVersion?: number): NamedItem {
    const condition =
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } };
    return { name: 'process', put: { TableName: this.tableName, Item: processItem(tenantId, process), ...condition } };
  }

  /**
   * Step `step` opens without reading the process first (the flow carries the chain): only while
   * the process runs at the step before it, so a replay or a late retry changes nothing.
   */
  openStepItem(tenantId: string, process: Pick<Process, 'id' | 'customerId'>, step: number, waitingOn: string[], taskToken: string, entry: HistoryEntry): NamedItem {
    return {
      name: 'process',
      update: {
        TableName: this.tableName,
        Key: keys.process(tenantId, process.customerId, process.id),
        UpdateExpression: `SET currentStep = :step, steps[${step}].#status = :open, steps[${step}].openedAt = :at, waitingOn = :waiting, taskToken = :token, history = list_append(history, :entry), #version = #version + :one`,
        ConditionExpression: '#status = :running AND currentStep = :previous',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: { ':step': step, ':previous': step - 1, ':open': 'open', ':at': entry.at, ':waiting': waitingOn, ':token': taskToken, ':entry': [entry], ':one': 1, ':running': 'running' },
      },
    };
  }

  /** A replayed flow waits on the open step with its own token; false when the step moved meanwhile. */
  async adoptToken(tenantId: string, process: Pick<Process, 'id' | 'customerId'>, step: number, taskToken: string): Promise<boolean> {
    const written = await this.commit([
      {
        name: 'process',
        update: {
          TableName: this.tableName,
          Key: keys.process(tenantId, process.customerId, process.id),
          UpdateExpression: 'SET taskToken = :token, #version = #version + :one',
          ConditionExpression: `#status = :running AND currentStep = :step AND steps[${step}].#status = :open`,
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: { ':token': taskToken, ':one': 1, ':running': 'running', ':step': step, ':open': 'open' },
        },
      },
    ]);
    return written.outcome === 'written';
  }

  /**
   * Holds while the approver has no delegation in force at `nowIso` (none, cleared, or ended): the
   * step opens without reading the directory, and a failure hands back the approver's entry.
   */
  noDelegationCheck(tenantId: string, approverId: string, nowIso: string): NamedItem {
    return {
      name: `${NO_DELEGATION_PREFIX}${approverId}`,
      returnCurrent: true,
      conditionCheck: {
        TableName: this.tableName,
        Key: keys.user(tenantId, approverId),
        ConditionExpression: 'attribute_not_exists(#delegate) OR #delegate = :null OR (attribute_type(#delegate.#until, :string) AND #delegate.#until <= :now)',
        ExpressionAttributeNames: { '#delegate': 'delegate', '#until': 'until' },
        ExpressionAttributeValues: { ':null': null, ':string': 'S', ':now': nowIso },
      },
    };
  }

  /** The process ends with `outcome`, only while it still runs (a replayed finish changes nothing). */
  finishItem(tenantId: string, process: Pick<Process, 'id' | 'customerId'>, outcome: Exclude<ProcessStatus, 'running'>, at: string): NamedItem {
    const entry: HistoryEntry = { at, type: 'finished', by: 'system', outcome };
    return {
      name: 'process',
      update: {
        TableName: this.tableName,
        Key: keys.process(tenantId, process.customerId, process.id),
        UpdateExpression: 'SET #status = :outcome, endedAt = :at, waitingOn = :none, taskToken = :null, history = list_append(history, :entry), #version = #version + :one',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: { ':outcome': outcome, ':at': at, ':none': [], ':null': null, ':entry': [entry], ':one': 1, ':running': 'running' },
      },
    };
  }

  /**
   * A new approval (fails if it exists: the step opened already) or one decided, closed or
   * escalated, over its pending self. `due: false` keeps a pending approval out of the escalation
   * sweep's index (nobody to escalate it to).
   */
  approvalItem(tenantId: string, approval: Approval, change: 'open' | 'decide' | 'close', options: { due?: boolean } = {}): NamedItem {
    const condition = change === 'open' ? { ConditionExpression: 'attribute_not_exists(PK)' } : { ConditionExpression: '#status = :pending', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':pending': 'pending' } };
    return { name: `approval-${approval.id}`, put: { TableName: this.tableName, Item: approvalItem(tenantId, approval, options.due ?? true), ...condition } };
  }

  /** Pending approvals whose time limit ended by `nowIso`, oldest first (the escalation sweep's one Query per page). */
  async dueApprovals(nowIso: string, limit: number): Promise<DueApproval[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi2.name,
        // `#` sorts before `$`: every `<dueAt>#...` with dueAt <= now.
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :upTo',
        ExpressionAttributeValues: { ':pk': APPROVAL_DUE_PK, ':upTo': `${nowIso}$` },
        ProjectionExpression: 'tenantId, id, processId',
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((i) => ({ tenantId: String(i.tenantId), approvalId: String(i.id), processId: String(i.processId) }));
  }

  eventItem(tenantId: string, customerId: string, detailType: string, detail: { id: string }): NamedItem {
    return customerEventItem(this.tableName, tenantId, customerId, detailType, detail);
  }

  /** Writes items built here and by subject repositories in one transaction; says whose condition stopped it. */
  async commit(items: NamedItem[]): Promise<ProcessWriteOutcome> {
    try {
      await transactWrite(this.db, items);
      return { outcome: 'written' };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      const failed = error.failures[0]!;
      return { outcome: 'condition-failed', item: failed.name, failures: error.failures };
    }
  }
}

function processItem(tenantId: string, process: Process): Record<string, unknown> {
  return {
    ...keys.process(tenantId, process.customerId, process.id),
    GSI3PK: keys.processCollection(tenantId, process.id),
    GSI3SK: 'PROC',
    entity: 'Process',
    tenantId,
    ...process,
  };
}

function approvalItem(tenantId: string, approval: Approval, due: boolean): Record<string, unknown> {
  const inbox = approval.status === 'pending' ? 'pending' : 'done';
  // Only a pending approval with a time limit is in the sweep's index: the Put of a decided one drops it.
  const dueEntry = inbox === 'pending' && approval.dueAt && due ? keys.approvalDue(approval.dueAt, tenantId, approval.id) : {};
  return {
    ...keys.approval(tenantId, approval.customerId, approval.id),
    GSI3PK: keys.processCollection(tenantId, approval.processId),
    GSI3SK: `APR#${approval.id}`,
    GSI1PK: keys.approvalInbox(tenantId, approval.approverId, inbox),
    // Pending: oldest request first; done: by when it was decided.
    GSI1SK: `${inbox === 'pending' ? approval.createdAt : (approval.decidedAt ?? approval.createdAt)}#${approval.id}`,
    ...dueEntry,
    entity: 'Approval',
    tenantId,
    ...approval,
  };
}

export function toProcess(item: Record<string, unknown>): Process {
  const { tenantId: _t, ...record } = withoutStorageAttributes(item);
  return record as unknown as Process;
}

function toApproval(item: Record<string, unknown>): Approval {
  const { tenantId: _t, ...record } = withoutStorageAttributes(item);
  return record as unknown as Approval;
}
