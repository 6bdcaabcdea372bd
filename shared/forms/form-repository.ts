import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import type { NamedItem } from '../aws/transact-write';
import { keys, TTL_ATTRIBUTE, withoutStorageAttributes } from '../keys';
import type { Form } from './form';

/** Forms in the tenant's `FORMS` partition; per-IP rate windows in their own items (TTL). */
export class FormRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(form: Form): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.form(form.tenantId, form.secret), entity: 'Form', ...form }, ConditionExpression: 'attribute_not_exists(PK)' }),
    );
  }

  async get(tenantId: string, secret: string): Promise<Form | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.form(tenantId, secret) }));
    return result.Item ? (withoutStorageAttributes(result.Item) as unknown as Form) : undefined;
  }

  async list(tenantId: string): Promise<Form[]> {
    const { PK, skPrefix } = keys.forms(tenantId);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
    });
    return items.map((item) => withoutStorageAttributes(item) as unknown as Form);
  }

  /**
   * Counts one submission in the (form, IP, minute) window if it is below the limit: one
   * conditional ADD, so the limit holds however many Lambda instances serve the form.
   */
  async takeRateSlot(form: Form, sourceIp: string, window: string, expiresAt: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.formRateWindow(form.tenantId, form.id, sourceIp, window),
          UpdateExpression: 'SET entity = :entity, expiresAt = :ttl ADD submissions :one',
          ConditionExpression: 'attribute_not_exists(submissions) OR submissions < :limit',
          ExpressionAttributeValues: { ':entity': 'FormRateWindow', ':ttl': expiresAt, ':one': 1, ':limit': form.rateLimitPerMinute },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async countHoneypot(form: Form): Promise<void> {
    await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: keys.form(form.tenantId, form.secret), UpdateExpression: 'ADD honeypotCount :one', ExpressionAttributeValues: { ':one': 1 } }),
    );
  }

  /**
   * "This case form submission opened case X", put in the case's transaction: it fails while an
   * unexpired marker of the same submission exists (TTL deletes lazily, so the condition reads the
   * time too), and `returnCurrent` hands back the first case.
   */
  submissionMarker(form: Form, digest: string, caseId: string, nowMs: number, ttlSeconds: number): NamedItem {
    const now = Math.floor(nowMs / 1000);
    return {
      name: 'submitted',
      returnCurrent: true,
      put: {
        TableName: this.tableName,
        Item: { ...keys.formSubmission(form.tenantId, form.id, digest), entity: 'FormSubmission', caseId, [TTL_ATTRIBUTE]: now + ttlSeconds },
        ConditionExpression: 'attribute_not_exists(PK) OR #ttl < :now',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':now': now },
      },
    };
  }
}
