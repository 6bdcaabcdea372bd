import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { CustomFieldLimitReached, DuplicateCustomField } from '../errors';
import { keys } from '../keys';
import { type CustomFieldDefinition, type CustomFieldEntity, MAX_CUSTOM_FIELDS } from './custom-field-definition';

/** Where the definitions an entity's values are checked against come from (the repository, or a stub in tests). */
export interface CustomFieldCatalog {
  list(tenantId: string, entity: CustomFieldEntity): Promise<CustomFieldDefinition[]>;
}

const DEFINITION_ATTRIBUTES = [
  'tenantId', 'appliesTo', 'key', 'label', 'type', 'options', 'description', 'createdAt', 'createdBy',
] as const satisfies readonly (keyof CustomFieldDefinition)[];

export class CustomFieldRepository implements CustomFieldCatalog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One transaction: the definition, if its key is free, and the tenant's field counter, if it is
   * below the cap. Both conditions are checked by DynamoDB at commit, so neither two requests for
   * one key nor concurrent requests at the cap can both win.
   */
  async define(definition: CustomFieldDefinition): Promise<void> {
    const { tenantId, appliesTo: entity, key } = definition;
    try {
      await transactWrite(this.db, [
        {
          name: 'definition',
          put: {
            TableName: this.tableName,
            Item: { ...keys.customFieldDefinition(tenantId, entity, key), entity: 'CustomFieldDefinition', ...definition },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          name: 'counter',
          update: {
            TableName: this.tableName,
            Key: keys.customFieldCounter(tenantId, entity),
            UpdateExpression: 'SET #entity = :entity ADD #count :one',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
            ExpressionAttributeNames: { '#entity': 'entity', '#count': 'count' },
            ExpressionAttributeValues: { ':entity': 'CustomFieldCounter', ':one': 1, ':max': MAX_CUSTOM_FIELDS },
          },
        },
      ]);
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('definition')) throw new DuplicateCustomField(key);
      if (error.failed('counter')) throw new CustomFieldLimitReached(MAX_CUSTOM_FIELDS);
      throw error;
    }
  }

  /**
   * The entity's definitions in key order: one strongly consistent Query (a field an admin just
   * defined can be used at once); more pages only if they outgrow 1 MB.
   */
  async list(tenantId: string, entity: CustomFieldEntity): Promise<CustomFieldDefinition[]> {
    const { PK, skPrefix } = keys.customFieldDefinitions(tenantId, entity);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
      ConsistentRead: true,
    });
    return items.map(toDefinition);
  }
}

function toDefinition(item: Record<string, unknown>): CustomFieldDefinition {
  return Object.fromEntries(DEFINITION_ATTRIBUTES.map((a) => [a, item[a] ?? null])) as unknown as CustomFieldDefinition;
}
