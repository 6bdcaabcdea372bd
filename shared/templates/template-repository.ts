import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { PreconditionFailed } from '../errors';
import { putAtVersion } from '../aws/put-at-version';
import { keys } from '../keys';
import { type EmailTemplate, TemplateNotFound } from './email-template';

const TEMPLATE_ATTRIBUTES = [
  'id', 'tenantId', 'name', 'description', 'subject', 'html', 'text', 'placeholders', 'sesTemplateName',
  'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version',
] as const satisfies readonly (keyof EmailTemplate)[];

export function toTemplate(item: Record<string, unknown>): EmailTemplate {
  return Object.fromEntries(TEMPLATE_ATTRIBUTES.map((a) => [a, item[a] ?? null])) as unknown as EmailTemplate;
}

/** The template changed since the version in If-Match; the body names the current one. */
export class StaleTemplate extends PreconditionFailed {
  constructor(readonly currentVersion: number) {
    super(`The template has changed since the version you sent; it is now at version ${currentVersion}`);
    Object.assign(this.extensions, { currentVersion, currentETag: `"${currentVersion}"` });
  }
}

/** A tenant's templates in one partition (`T#<t>#TEMPLATES`, `TPL#<id>`): reads are GetItem or one Query. */
export class TemplateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, templateId: string, consistent = false): Promise<EmailTemplate | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.emailTemplate(tenantId, templateId), ConsistentRead: consistent }));
    return result.Item ? toTemplate(result.Item) : undefined;
  }

  /** Every template of the tenant, oldest first (ULIDs), without the bodies: a list shows names and subjects. */
  async list(tenantId: string): Promise<Omit<EmailTemplate, 'html' | 'text'>[]> {
    const { PK, skPrefix } = keys.emailTemplates(tenantId);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
      ProjectionExpression: TEMPLATE_ATTRIBUTES.filter((a) => a !== 'html' && a !== 'text').map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(TEMPLATE_ATTRIBUTES.filter((a) => a !== 'html' && a !== 'text').map((a, i) => [`#a${i}`, a])),
    });
    return items.map((item) => {
      const { html: _html, text: _text, ...rest } = toTemplate(item);
      return rest;
    });
  }

  async create(template: EmailTemplate): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.item(template), ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  /** Replaces the template if it is still at `expectedVersion`: two edits of one version cannot both win. */
  async replace(template: EmailTemplate, expectedVersion: number): Promise<void> {
    const result = await putAtVersion(this.db, this.tableName, this.item(template), expectedVersion);
    if (result.written) return;
    if (result.currentVersion === undefined) throw new TemplateNotFound(template.id);
    throw new StaleTemplate(result.currentVersion);
  }

  private item(template: EmailTemplate): Record<string, unknown> {
    return { ...keys.emailTemplate(template.tenantId, template.id), entity: 'EmailTemplate', ...template };
  }
}
