import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../customers/customer';
import { PROFILE_PROJECTION, toCustomer } from '../customers/profile-record';
import { keys, withoutStorageAttributes } from '../keys';
import type { Lead } from '../leads/lead';
import type { Contact } from '../contacts/contact';
import { leadIsMailable, type MarketingRecipient, profileIsLive } from './marketing-recipient';
import type { SendableTemplate } from './marketing-send';

export type { SendableTemplate } from './marketing-send';

const TEMPLATE_PROJECTION = {
  ProjectionExpression: '#id, #subject, #html, #text, #placeholders',
  ExpressionAttributeNames: { '#id': 'id', '#subject': 'subject', '#html': 'html', '#text': 'text', '#placeholders': 'placeholders' },
};

/**
 * The reads of a marketing send (an automation's, the welcome mail), one GetItem each. Not the customer and template
 * repositories: their writers and the API's schemas would weigh on the senders' bundles (which
 * carry SES and Secrets Manager too) for nothing.
 */
export class MarketingSendReads {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async customer(tenantId: string, customerId: string): Promise<Customer | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(tenantId, customerId), ...PROFILE_PROJECTION }));
    return result.Item ? toCustomer(result.Item) : undefined;
  }

  /** The whole lead item (a tombstone keeps `erasedAt`): its fields fill the template. */
  async lead(tenantId: string, leadId: string): Promise<Lead | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.lead(tenantId, leadId) }));
    return result.Item ? (withoutStorageAttributes(result.Item) as unknown as Lead) : undefined;
  }

  async contact(tenantId: string, customerId: string, contactId: string): Promise<Contact | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.contact(tenantId, customerId, contactId) }));
    return result.Item ? (withoutStorageAttributes(result.Item) as unknown as Contact) : undefined;
  }

  /** A company's first `limit` contacts (oldest first): one Query page of its partition's contact range. */
  async contactsOf(tenantId: string, customerId: string, limit: number): Promise<Contact[]> {
    const { PK, SK } = keys.contact(tenantId, customerId, '');
    const result = await this.db.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': PK, ':prefix': SK }, Limit: limit }),
    );
    return (result.Items ?? []).map((item) => withoutStorageAttributes(item) as unknown as Contact);
  }

  /**
   * Whether the recipient is still there, read consistently and projected to what says so: a
   * customer neither erased nor merged, a lead neither erased nor converted, a contact that exists
   * at a live company.
   */
  async stillLive(tenantId: string, recipient: MarketingRecipient): Promise<boolean> {
    const get = async (Key: { PK: string; SK: string }, projection: string, names?: Record<string, string>) =>
      (await this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true, ProjectionExpression: projection, ExpressionAttributeNames: names }))).Item;
    if (recipient.kind === 'lead') {
      const lead = await get(keys.lead(tenantId, recipient.id), 'erasedAt, #status', { '#status': 'status' });
      return leadIsMailable(lead as Lead | undefined);
    }
    const company = recipient.kind === 'contact' ? recipient.customerId : recipient.id;
    const [profile, contact] = await Promise.all([
      get(keys.customer(tenantId, company), 'erasedAt, mergedInto'),
      recipient.kind === 'contact' ? get(keys.contact(tenantId, company, recipient.id), 'PK') : Promise.resolve({}),
    ]);
    return profileIsLive(profile) && Boolean(contact);
  }

  async template(tenantId: string, templateId: string): Promise<SendableTemplate | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.emailTemplate(tenantId, templateId), ...TEMPLATE_PROJECTION }));
    const item = result.Item;
    if (!item) return undefined;
    return { id: String(item.id), subject: String(item.subject), html: String(item.html), text: String(item.text), placeholders: Array.isArray(item.placeholders) ? item.placeholders.map(String) : [] };
  }
}
