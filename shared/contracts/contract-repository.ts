import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ProcessHead } from '../approvals/approval-process';
import { pendingSubjectCheck } from '../approvals/process-subjects';
import { getByIndexedId, nextYearlyNumber } from '../aws/record-by-id';
import type { NamedItem } from '../aws/transact-write';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { CONTRACT_RENEWAL_PK, keys, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import { customerEventItem } from '../outbox/outbox';
import { type Contract, renewalDueFrom } from './contract';

/** An active contract the renewal sweep found due: enough to read it. */
export interface DueRenewal {
  tenantId: string;
  key: { PK: string; SK: string };
}

/**
 * Contracts in the table (docs/processes.md, "Contracts"): the item in its customer's partition
 * (the 360 view's `CONTRACT#` range), found by id through GSI3, waiting in the GSI2 renewal index
 * while active and its notice not yet raised. Writes are transaction items, committed with the
 * process items and events they go with.
 */
export class ContractRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(tenantId: string, contractId: string): Promise<Contract | undefined> {
    const item = await getByIndexedId(this.db, this.tableName, keys.contractById(tenantId, contractId));
    return item ? toContract(item) : undefined;
  }

  async nextNumber(tenantId: string, year: string): Promise<string> {
    return nextYearlyNumber(this.db, this.tableName, keys.contractNumbers(tenantId, year), 'C', year);
  }

  /** Contracts whose renewal notice is due by now, soonest first (the sweep's one Query per run). */
  async dueRenewals(nowIso: string, limit: number): Promise<DueRenewal[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi2.name,
        // `#` sorts before `$`: every `<dueFrom>#...` with dueFrom <= now.
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :upTo',
        ExpressionAttributeValues: { ':pk': CONTRACT_RENEWAL_PK, ':upTo': `${nowIso}$` },
        ProjectionExpression: 'PK, SK, tenantId',
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((i) => ({ tenantId: String(i.tenantId), key: { PK: String(i.PK), SK: String(i.SK) } }));
  }

  /** A contract by its key, consistently (the sweep's read of what the index named). */
  async byKey(key: { PK: string; SK: string }): Promise<Contract | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item ? toContract(Item) : undefined;
  }

  /** A new contract, only for a live customer (the second item). */
  createItems(tenantId: string, contract: Contract): NamedItem[] {
    return [
      { name: 'contract', put: { TableName: this.tableName, Item: contractItem(tenantId, contract), ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        name: 'customer',
        conditionCheck: { TableName: this.tableName, Key: keys.customer(tenantId, contract.customerId), ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES },
      },
    ];
  }

  /**
   * Holds while the quote or order a new contract rests on is still one a contract can rest on (an
   * approved, sent or accepted quote; an order not cancelled): a revision or a cancellation racing
   * the contract's creation stops it.
   */
  basisCheck(tenantId: string, customerId: string, basis: { type: 'quote' | 'order'; id: string }): NamedItem {
    const quote = basis.type === 'quote';
    return {
      name: 'basis',
      conditionCheck: {
        TableName: this.tableName,
        Key: quote ? keys.quote(tenantId, customerId, basis.id) : keys.order(tenantId, customerId, basis.id),
        ConditionExpression: quote ? '#status IN (:approved, :sent, :accepted)' : 'attribute_exists(PK) AND #status <> :cancelled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: quote ? { ':approved': 'approved', ':sent': 'sent', ':accepted': 'accepted' } : { ':cancelled': 'cancelled' },
      },
    };
  }

  /** The contract changed, over the version it was read at. */
  replaceItem(tenantId: string, contract: Contract, expectedVersion: number): NamedItem {
    return {
      name: 'contract',
      returnCurrent: true,
      put: {
        TableName: this.tableName,
        Item: contractItem(tenantId, contract),
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    };
  }

  /** Holds while the contract is the version its approval is for and still waits on it. */
  pendingCheck(tenantId: string, head: ProcessHead): NamedItem {
    return pendingSubjectCheck(this.tableName, keys.contract(tenantId, head.customerId, head.subject.id), head);
  }

  /**
   * The approval's outcome lands on the contract, on the same condition: active, which puts it in
   * the renewal index (its sort key was written with it; the partition key completes the entry), or
   * rejected, which drops the sort key.
   */
  settleItem(tenantId: string, head: ProcessHead, outcome: 'approved' | 'rejected', at: string): NamedItem {
    const approved = outcome === 'approved';
    return {
      name: 'subject',
      update: {
        TableName: this.tableName,
        Key: keys.contract(tenantId, head.customerId, head.subject.id),
        UpdateExpression: `SET #status = :status, approval = :approval, updatedAt = :at, updatedBy = :by, #version = #version + :one${approved ? ', GSI2PK = :renewals' : ' REMOVE GSI2SK'}`,
        ConditionExpression: '#version = :version AND #status = :pending',
        ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': approved ? 'active' : 'rejected',
          ':approval': { processId: head.id, status: outcome },
          ':at': at,
          ':by': 'approval-flow',
          ':one': 1,
          ':version': head.subject.version,
          ':pending': 'pending-approval',
          ...(approved ? { ':renewals': CONTRACT_RENEWAL_PK } : {}),
        },
      },
    };
  }

  /** An outbox event in the contract's customer partition, committed with the change it tells. */
  eventItem(tenantId: string, customerId: string, detailType: string, detail: { id: string }): NamedItem {
    return customerEventItem(this.tableName, tenantId, customerId, detailType, detail);
  }
}

/**
 * A contract as stored. Until its renewal notice is raised it carries the renewal index's sort key;
 * only an active one has the partition key too, so only it is in the index (an item needs both).
 */
function contractItem(tenantId: string, contract: Contract): Record<string, unknown> {
  const waiting = contract.renewalDueAt === null && (contract.status === 'active' || contract.status === 'pending-approval');
  const renewal = waiting ? keys.contractRenewalDue(renewalDueFrom(contract), tenantId, contract.id) : undefined;
  const index = renewal ? (contract.status === 'active' ? renewal : { GSI2SK: renewal.GSI2SK }) : {};
  return { ...keys.contract(tenantId, contract.customerId, contract.id), ...keys.contractById(tenantId, contract.id), ...index, entity: 'Contract', tenantId, ...contract };
}

export function toContract(item: Record<string, unknown>): Contract {
  const { tenantId: _t, ...record } = withoutStorageAttributes(item);
  return record as unknown as Contract;
}
