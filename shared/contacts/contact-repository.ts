import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { ContactNotFound, CustomerNotFound, StaleVersion } from '../errors';
import { queryAllPages } from '../aws/query-all-pages';
import { keys, withoutStorageAttributes } from '../keys';
import type { Contact } from './contact';

export class ContactRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The contact, if its company is still live (not merged or erased since the caller read it). */
  async add(tenantId: string, contact: Contact): Promise<void> {
    try {
      await transactWrite(this.db, [
        {
          name: 'company',
          conditionCheck: {
            TableName: this.tableName,
            Key: keys.customer(tenantId, contact.customerId),
            ConditionExpression: LIVE_PROFILE_CONDITION,
            ExpressionAttributeValues: LIVE_PROFILE_VALUES,
          },
        },
        {
          name: 'contact',
          put: {
            TableName: this.tableName,
            Item: { ...keys.contact(tenantId, contact.customerId, contact.id), entity: 'Contact', ...contact },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('company')) throw new CustomerNotFound(contact.customerId);
      throw error;
    }
  }

  async get(tenantId: string, customerId: string, contactId: string): Promise<Contact | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.contact(tenantId, customerId, contactId) }));
    if (!Item) return undefined;
    return withoutStorageAttributes(Item) as unknown as Contact;
  }

  /** A company's contacts: one Query of its partition's contact range. */
  async list(tenantId: string, customerId: string): Promise<Contact[]> {
    const { PK, SK } = keys.contact(tenantId, customerId, '');
    const items = await queryAllPages(this.db, { TableName: this.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': PK, ':prefix': SK } });
    return items.map((item) => withoutStorageAttributes(item) as unknown as Contact);
  }

  /** Replaces the contact if it is still at `expectedVersion`. */
  async replace(tenantId: string, contact: Contact, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.contact(tenantId, contact.customerId, contact.id), entity: 'Contact', ...contact },
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (!error.Item) throw new ContactNotFound(contact.id);
      throw new StaleVersion('contact', Number(error.Item.version?.N ?? 0));
    }
  }

  async remove(tenantId: string, customerId: string, contactId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({ TableName: this.tableName, Key: keys.contact(tenantId, customerId, contactId), ConditionExpression: 'attribute_exists(PK)' }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ContactNotFound(contactId);
      throw error;
    }
  }
}
