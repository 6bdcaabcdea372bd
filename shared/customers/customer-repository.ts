import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailures, retryOnTransactionConflict } from '../aws/transaction-errors';
import { DuplicateCustomer } from '../errors';
import { keys } from '../keys';
import { outboxItem } from '../outbox/outbox';
import type { Customer } from './customer';

const PROFILE_ATTRIBUTES = ['id', 'tenantId', 'name', 'email', 'ownerId', 'consent', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version'] as const;

export class CustomerRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One transaction: the profile, the email uniqueness guard and the outbox event. Concurrent
   * creates of one email race on the guard's condition, so exactly one wins.
   */
  async create(customer: Customer, event: { detailType: string; detail: { id: string } }): Promise<void> {
    const partition = keys.customerPartition(customer.tenantId, customer.id);
    try {
      await retryOnTransactionConflict(() =>
        this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.customer(customer.tenantId, customer.id), entity: 'Customer', ...customer, ...ownerIndex(customer) },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.uniqueEmail(customer.tenantId, customer.email), entity: 'UniqueGuard', customerId: customer.id },
                ConditionExpression: 'attribute_not_exists(PK)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            { Put: { TableName: this.tableName, Item: outboxItem(partition, event.detailType, event.detail) } },
          ],
        }),
      ),
      );
    } catch (error) {
      const guard = conditionFailures(error)?.get(1);
      if (guard) {
        const existingId = String(guard.customerId);
        const existing = await this.get(customer.tenantId, existingId);
        throw new DuplicateCustomer('email', existingId, existing?.ownerId ?? undefined);
      }
      throw error;
    }
  }

  async get(tenantId: string, customerId: string): Promise<Customer | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(tenantId, customerId) }));
    if (!result.Item) return undefined;
    return Object.fromEntries(PROFILE_ATTRIBUTES.map((a) => [a, result.Item![a]])) as unknown as Customer;
  }
}

function ownerIndex(customer: Customer) {
  return customer.ownerId ? { ...keys.ownerBook(customer.tenantId, customer.ownerId), GSI1SK: `C#${customer.id}` } : {};
}
