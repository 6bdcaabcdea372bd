import { newestFirstPage } from '../aws/newest-first-page';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { NotFound } from '../errors';
import { keys, TABLE_INDEXES, TTL_ATTRIBUTE, withoutStorageAttributes } from '../keys';
import { outboxItem } from '../outbox/outbox';
import { EXPORT_KEPT_DAYS, type ExportJob } from './export-job';

export class ExportNotFound extends NotFound {
  constructor(exportId: string) {
    super(`Export ${exportId} not found`);
  }
}

interface OutboxEvent {
  detailType: string;
  detail: { id: string };
}

// `entity` names the item's kind in the table, so the job's entity is stored as `exportEntity`.
const jobItem = ({ entity, ...job }: ExportJob) => ({
  ...keys.exportJob(job.tenantId, job.requestedBy, job.id),
  ...keys.exportById(job.tenantId, job.id),
  entity: 'ExportJob',
  exportEntity: entity,
  ...job,
  // The job is listed for a while after its file is gone: the requester sees what they exported.
  [TTL_ATTRIBUTE]: Math.floor(Date.parse(job.createdAt) / 1000) + EXPORT_KEPT_DAYS * 86_400,
});
const toJob = (item: Record<string, unknown>): ExportJob => {
  const { exportEntity, ...job } = withoutStorageAttributes(item);
  return { ...job, entity: exportEntity } as unknown as ExportJob;
};

export interface ExportPage {
  items: ExportJob[];
  cursor: string | null;
}

/**
 * Export jobs in their requester's partition (`T#<t>#USER#<user>#EXPORTS` / `EXP#<id>`), also in
 * GSI3 by id (`T#<t>#EXPORT#<id>`) for admins; each state change that tells an event writes it
 * beside the job in one transaction.
 */
export class ExportRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The queued job and `crm.export.requested.v1` together: no job without its run, no run without its job. */
  async create(job: ExportJob, event: OutboxEvent): Promise<void> {
    const { PK } = keys.exportJobs(job.tenantId, job.requestedBy);
    await transactWrite(this.db, [
      { name: 'job', put: { TableName: this.tableName, Item: jobItem(job), ConditionExpression: 'attribute_not_exists(PK)' } },
      { name: 'event', put: { TableName: this.tableName, Item: outboxItem(PK, event.detailType, event.detail) } },
    ]);
  }

  async get(tenantId: string, userId: string, exportId: string): Promise<ExportJob | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.exportJob(tenantId, userId, exportId), ConsistentRead: true }));
    return Item ? toJob(Item) : undefined;
  }

  /** Any user's job by its id (GSI3, eventually consistent: a job seconds old may not be there yet). */
  async findById(tenantId: string, exportId: string): Promise<ExportJob | undefined> {
    const { GSI3PK, GSI3SK } = keys.exportById(tenantId, exportId);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi3.name,
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK = :sk',
        ExpressionAttributeValues: { ':pk': GSI3PK, ':sk': GSI3SK },
      }),
    );
    const item = result.Items?.[0];
    return item ? toJob(item) : undefined;
  }

  /** A user's jobs, newest first. */
  async list(tenantId: string, userId: string, limit: number, cursor: string | undefined): Promise<ExportPage> {
    const page = await newestFirstPage(this.db, this.tableName, keys.exportJobs(tenantId, userId), limit, cursor);
    return { items: page.items.map(toJob), cursor: page.cursor };
  }

  /**
   * The job taken by run `runId`, while queued or left running by a crashed run; undefined when it
   * is finished or gone. A later run takes it from an earlier one: only the last can finish it.
   */
  async start(job: ExportJob, runId: string, nowIso: string): Promise<ExportJob | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.exportJob(job.tenantId, job.requestedBy, job.id),
          UpdateExpression: 'SET #status = :running, runId = :run, startedAt = :at, #version = #version + :one',
          ConditionExpression: 'attribute_exists(PK) AND #status IN (:queued, :running)',
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':run': runId, ':at': nowIso, ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? toJob(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Completed with its row count and `crm.export.completed.v1`, in one transaction, if run `runId` still holds it. */
  async complete(job: ExportJob, runId: string, rows: number, nowIso: string, event: OutboxEvent): Promise<boolean> {
    const { PK } = keys.exportJobs(job.tenantId, job.requestedBy);
    try {
      await transactWrite(this.db, [
        {
          name: 'job',
          update: {
            TableName: this.tableName,
            Key: keys.exportJob(job.tenantId, job.requestedBy, job.id),
            UpdateExpression: 'SET #status = :completed, #rows = :rows, completedAt = :at, #version = #version + :one',
            ConditionExpression: '#status = :running AND runId = :run',
            ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows', '#version': 'version' },
            ExpressionAttributeValues: { ':completed': 'completed', ':running': 'running', ':rows': rows, ':at': nowIso, ':run': runId, ':one': 1 },
          },
        },
        { name: 'event', put: { TableName: this.tableName, Item: outboxItem(PK, event.detailType, event.detail) } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed) return false;
      throw error;
    }
  }

  /** Failed with the reason its requester reads, if run `runId` still holds it. */
  async fail(job: ExportJob, runId: string, reason: string, nowIso: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.exportJob(job.tenantId, job.requestedBy, job.id),
          UpdateExpression: 'SET #status = :failed, failureReason = :reason, completedAt = :at, #version = #version + :one',
          ConditionExpression: '#status = :running AND runId = :run',
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: { ':failed': 'failed', ':running': 'running', ':reason': reason, ':at': nowIso, ':run': runId, ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
