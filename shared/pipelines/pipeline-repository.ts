import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { putAtVersion, type VersionMismatch } from '../aws/put-at-version';
import { queryAllPages } from '../aws/query-all-pages';
import { keys, withoutStorageAttributes } from '../keys';
import type { Pipeline } from './pipeline';

/** Pipelines: `T#<t>#PIPELINES` / `PIPE#<id>`, all of a tenant's in one partition. Changed only at the version read (PATCH, a retired stage's end). */
export class PipelineRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(pipeline: Pipeline): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.pipeline(pipeline.tenantId, pipeline.id), entity: 'Pipeline', ...pipeline },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(tenantId: string, pipelineId: string, consistent = false): Promise<Pipeline | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.pipeline(tenantId, pipelineId), ConsistentRead: consistent }));
    return result.Item ? (withoutStorageAttributes(result.Item) as unknown as Pipeline) : undefined;
  }

  /** One Query (a tenant has few pipelines; more pages are read if it ever has many). */
  async list(tenantId: string): Promise<Pipeline[]> {
    const { PK, skPrefix } = keys.pipelines(tenantId);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
    });
    return items.map((item) => withoutStorageAttributes(item) as unknown as Pipeline);
  }

  /** Replaces the pipeline if the stored one is still at `expected` (PATCH's If-Match, or the version a stage move read). */
  async put(pipeline: Pipeline, expected: number): Promise<{ written: true } | VersionMismatch> {
    return putAtVersion(this.db, this.tableName, { ...keys.pipeline(pipeline.tenantId, pipeline.id), entity: 'Pipeline', ...pipeline }, expected);
  }
}
