import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { keys } from '../keys';
import type { Automation, AutomationAudience } from './automation';

/** What the dispatcher needs of an enabled automation. */
export type AutomationTrigger = Pick<Automation, 'id' | 'eventPattern' | 'templateId' | 'topic' | 'delay' | 'offer' | 'audience' | 'version'>;

const ATTRIBUTES = [
  'id', 'tenantId', 'name', 'eventPattern', 'templateId', 'topic', 'delay', 'enabled', 'offer', 'audience', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version',
] as const satisfies readonly (keyof Automation)[];
const TRIGGER_ATTRIBUTES = ['id', 'eventPattern', 'templateId', 'topic', 'delay', 'offer', 'audience', 'version'] as const satisfies readonly (keyof AutomationTrigger)[];

/** Automations saved before audiences existed mail the event's subject. */
const audienceOf = (value: unknown): AutomationAudience => (value === 'contacts' ? 'contacts' : 'subject');

// The pattern is stored as its JSON text: DynamoDB maps would not keep every pattern as written
// (key order of `$or` branches aside, numbers such as 3.0e2 and empty field names).
export function toAutomation(item: Record<string, unknown>): Automation {
  const automation = Object.fromEntries(ATTRIBUTES.map((a) => [a, item[a] ?? null])) as unknown as Automation;
  return { ...automation, eventPattern: JSON.parse(String(item.eventPattern)) as Record<string, unknown>, delay: Number(item.delay ?? 0), enabled: item.enabled !== false, audience: audienceOf(item.audience) };
}

export function toItem(automation: Automation): Record<string, unknown> {
  return { ...keys.automation(automation.tenantId, automation.id), entity: 'Automation', ...automation, eventPattern: JSON.stringify(automation.eventPattern) };
}

/**
 * Reading a tenant's automations (`T#<t>#AUTOMATIONS`, `AUTO#<id>`): the dispatcher and the due
 * sweep load only this, not the writers' checks and errors.
 */
export class AutomationReader {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async get(tenantId: string, automationId: string, consistent = false): Promise<Automation | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.automation(tenantId, automationId), ConsistentRead: consistent }));
    return result.Item ? toAutomation(result.Item) : undefined;
  }

  /** Every automation of the tenant, oldest first (ULIDs): one Query (the cap keeps it to one page). */
  async list(tenantId: string): Promise<Automation[]> {
    const { PK, skPrefix } = keys.automations(tenantId);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
    });
    return items.map(toAutomation);
  }

  /**
   * The dispatcher's read, once per domain event: the same Query, only the enabled automations
   * and only what matching and sending need. Not strongly consistent: an automation saved a moment
   * before an event may miss that one event.
   */
  async listEnabled(tenantId: string): Promise<AutomationTrigger[]> {
    const { PK, skPrefix } = keys.automations(tenantId);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: '#enabled = :true',
      ProjectionExpression: TRIGGER_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: { '#enabled': 'enabled', ...Object.fromEntries(TRIGGER_ATTRIBUTES.map((a, i) => [`#a${i}`, a])) },
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix, ':true': true },
    });
    return items.map((item) => ({
      id: String(item.id),
      eventPattern: JSON.parse(String(item.eventPattern)) as Record<string, unknown>,
      templateId: String(item.templateId),
      topic: String(item.topic),
      delay: Number(item.delay ?? 0),
      offer: typeof item.offer === 'string' ? item.offer : null,
      audience: audienceOf(item.audience),
      version: Number(item.version),
    }));
  }
}
