import { newestFirstPage } from '../aws/newest-first-page';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { bookCounter, counterUpdate } from '../allocation/user-counters';
import { type NamedItem, named, type TransactItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { boardAggregateUpdate } from '../deals/deal-items';
import { NotFound, StaleVersion } from '../errors';
import { keys, withoutStorageAttributes } from '../keys';
import { outboxItem } from '../outbox/outbox';
import { type ImportCounts, type ImportJob, type ImportStatus, NO_COUNTS } from './import-job';
import type { BatchTotals } from './import-rows';

export class ImportNotFound extends NotFound {
  constructor(importId: string) {
    super(`Import ${importId} not found`);
  }
}

/** What one batch adds to its import's counts (`rows` is counted once, by the preparation). */
export type ChunkCounts = Omit<ImportCounts, 'rows'>;

/** A run's state when a step reads it: absent when the import moved on (cancelled, superseded by a newer run). */
export interface RunState {
  job: ImportJob;
  current: boolean;
}

/** Shared counters (owners' books, board columns) per transaction beside the batch's own two items (DynamoDB allows 100). */
const COUNTERS_PER_TRANSACTION = 90;

// `entity` names the item's type in every table item: the job's entity is kept as `importEntity`.
const jobItem = ({ entity, ...job }: ImportJob) => ({ ...keys.importJob(job.tenantId, job.id), ...job, entity: 'Import', importEntity: entity });
const toJob = (item: Record<string, unknown>): ImportJob => {
  const { importEntity, ...record } = withoutStorageAttributes(item);
  return { ...record, entity: importEntity } as unknown as ImportJob;
};

export interface ImportPage {
  items: ImportJob[];
  cursor: string | null;
}

/**
 * Import jobs (`T#<t>#IMPORTS` / `IMPORT#<id>`, newest first) and their batches' progress items
 * (`T#<t>#IMPORT#<id>` / `RUN#<run>#CHUNK#<n>`). Every step of a run is conditional on the
 * job still running that run, so a cancelled or superseded run stops at its next step.
 */
export class ImportRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: ImportJob): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: jobItem(job), ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  async get(tenantId: string, importId: string): Promise<ImportJob | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.importJob(tenantId, importId) }));
    return Item ? toJob(Item) : undefined;
  }

  /** Newest first; `createdBy` keeps a non-admin's own. */
  async list(tenantId: string, limit: number, cursor: string | undefined, createdBy: string | undefined): Promise<ImportPage> {
    const page = await newestFirstPage(this.db, this.tableName, keys.importJobs(tenantId), limit, cursor, createdBy ? { expression: 'createdBy = :me', values: { ':me': createdBy } } : undefined);
    return { items: page.items.map(toJob), cursor: page.cursor };
  }

  /**
   * Sets these attributes and bumps the version if the job is still at `before.version` (412
   * otherwise): a run's start, a resumption, a cancellation. An update, not a put, so a batch's
   * counts added meanwhile are kept.
   */
  async updateAtVersion(before: ImportJob, set: Partial<ImportJob>): Promise<ImportJob> {
    const entries = Object.entries(set);
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.importJob(before.tenantId, before.id),
          UpdateExpression: `SET ${entries.map(([name]) => `#${name} = :${name}`).join(', ')} ADD #version :one`,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version', ...Object.fromEntries(entries.map(([name]) => [`#${name}`, name])) },
          ExpressionAttributeValues: { ':expected': before.version, ':one': 1, ...Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toJob(Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.get(before.tenantId, before.id);
      if (!current) throw new ImportNotFound(before.id);
      throw new StaleVersion('import', current.version);
    }
  }

  /** The job, and whether `runId` is still its current, active run. */
  async run(tenantId: string, importId: string, runId: string): Promise<RunState | undefined> {
    const job = await this.get(tenantId, importId);
    if (!job) return undefined;
    return { job, current: job.runId === runId && (job.status === 'validating' || job.status === 'running') };
  }

  /** The file is read: how many rows, batches and invalid rows the run has. Set, not added: a repeated preparation sets the same. */
  async prepared(job: ImportJob, runId: string, outcome: { rows: number; invalid: number; chunks: number; header: string[] }, nowIso: string): Promise<boolean> {
    return this.updateRun(job, runId, {
      UpdateExpression: 'SET #counts = :counts, chunks = :chunks, chunksDone = :zero, #header = :header, preparedAt = :now, updatedAt = :now',
      ExpressionAttributeNames: { '#counts': 'counts', '#header': 'header' },
      ExpressionAttributeValues: { ':counts': { ...NO_COUNTS, rows: outcome.rows, failed: outcome.invalid }, ':chunks': outcome.chunks, ':zero': 0, ':header': outcome.header, ':now': nowIso },
    });
  }

  async isChunkDone(tenantId: string, importId: string, runId: string, chunk: number): Promise<boolean> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.importChunk(tenantId, importId, runId, chunk), ProjectionExpression: 'PK' }));
    return Item !== undefined;
  }

  /**
   * One batch is done: its progress item, its counts added to the job's, the owners' books grown
   * by the customers it created and the board columns by the deals, in one transaction (a batch's
   * counts are added exactly once, however often it ran), also when the import was cancelled
   * while the batch wrote. False when the batch was already counted or a newer run took over.
   */
  async chunkDone(job: ImportJob, runId: string, chunk: number, counts: ChunkCounts, totals: BatchTotals, nowIso: string): Promise<boolean> {
    const counters: TransactItem[] = [
      ...[...totals.owned].filter(([, n]) => n > 0).map(([ownerId, n]) => counterUpdate(this.tableName, bookCounter(job.tenantId, ownerId, { owned: n }))),
      ...totals.boards.map((delta) => boardAggregateUpdate(this.tableName, job.tenantId, delta)),
    ];
    const parts: TransactItem[][] = [];
    for (let i = 0; i < counters.length; i += COUNTERS_PER_TRANSACTION) parts.push(counters.slice(i, i + COUNTERS_PER_TRANSACTION));
    // Counters beyond one transaction's room go first, each part behind its own marker.
    for (const [index, part] of parts.slice(1).entries()) {
      await this.once(keys.importChunk(job.tenantId, job.id, runId, chunk, `#OWNERS#${index + 1}`), nowIso, part.map((item, i) => named(`counter-${i}`, item)));
    }
    const adds = Object.entries(counts).filter(([, n]) => n !== 0);
    return this.once(keys.importChunk(job.tenantId, job.id, runId, chunk), nowIso, [
      ...(parts[0] ?? []).map((item, i) => named(`counter-${i}`, item)),
      {
        name: 'job',
        update: {
          TableName: this.tableName,
          Key: keys.importJob(job.tenantId, job.id),
          UpdateExpression: `SET updatedAt = :now ADD chunksDone :one${adds.map(([name]) => `, #counts.#${name} :${name}`).join('')}`,
          // A batch in flight when the import was cancelled has written its rows: they are counted all the same.
          ConditionExpression: 'runId = :run AND #status IN (:validating, :running, :cancelled)',
          ExpressionAttributeNames: { '#counts': 'counts', '#status': 'status', ...Object.fromEntries(adds.map(([name]) => [`#${name}`, name])) },
          ExpressionAttributeValues: { ':now': nowIso, ':one': 1, ':run': runId, ':validating': 'validating', ':running': 'running', ':cancelled': 'cancelled', ...Object.fromEntries(adds.map(([name, n]) => [`:${name}`, n])) },
        },
      },
    ]);
  }

  /**
   * Ends the run: its status, when, whether it left an error report, and its event (written with
   * it, so the event is never lost or sent for a run that did not end). False when the run moved on.
   */
  async finish(job: ImportJob, runId: string, status: Extract<ImportStatus, 'validated' | 'completed' | 'failed'>, end: { hasReport: boolean; failure: string | null; nowIso: string }, event?: { detailType: string; detail: { id: string } }): Promise<boolean> {
    const update: NamedItem = {
      name: 'job',
      update: {
        TableName: this.tableName,
        Key: keys.importJob(job.tenantId, job.id),
        UpdateExpression: 'SET #status = :status, hasReport = :report, failure = :failure, completedAt = :completed, updatedAt = :now ADD version :one',
        ConditionExpression: 'runId = :run AND #status IN (:validating, :running)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':report': end.hasReport,
          ':failure': end.failure,
          ':completed': status === 'completed' ? end.nowIso : null,
          ':now': end.nowIso,
          ':one': 1,
          ':run': runId,
          ':validating': 'validating',
          ':running': 'running',
        },
      },
    };
    const outbox: NamedItem[] = event
      ? [{ name: 'event', put: { TableName: this.tableName, Item: outboxItem(keys.importJob(job.tenantId, job.id).PK, event.detailType, event.detail) } }]
      : [];
    try {
      await transactWrite(this.db, [update, ...outbox]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed) return false;
      throw error;
    }
  }

  /** The items with a marker that exists once: false when the marker was there (done before) or another item's condition failed. */
  private async once(marker: { PK: string; SK: string }, nowIso: string, items: NamedItem[]): Promise<boolean> {
    try {
      await transactWrite(this.db, [
        { name: 'marker', put: { TableName: this.tableName, Item: { ...marker, entity: 'ImportChunk', doneAt: nowIso }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ...items,
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed) return false;
      throw error;
    }
  }

  private async updateRun(job: ImportJob, runId: string, update: { UpdateExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> }): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.importJob(job.tenantId, job.id),
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: 'runId = :run AND #status IN (:validating, :running)',
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':run': runId, ':validating': 'validating', ':running': 'running' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
