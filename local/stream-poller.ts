import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, type DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { matchesEventPattern } from '../shared/event-pattern';
import type { LocalStreamMapping } from './wiring';

interface ShardCursor {
  iterator?: string;
  closed: boolean;
  /** The last record handed over (delivered, filtered out or dead-lettered). */
  lastSequenceNumber?: string;
}

/** What survives a restart: per shard, the last record handed over. */
interface Checkpoint {
  streamArn: string;
  shards: Record<string, string>;
}

/**
 * A Lambda event source mapping on the table stream, against DynamoDB Local's real stream:
 * filter criteria, batches in shard order, ReportBatchItemFailures (the batch is retried from the
 * first failed record), retries, then the failed records are kept as the mapping's dead letters.
 *
 * Like the deployed mapping it starts at TRIM_HORIZON and, given a checkpoint file, keeps its
 * place across restarts: the checkpoint moves only after a batch was handed over, so a crash
 * repeats at most that batch (at least once; the consumers are idempotent on the event id).
 */
export class StreamPoller {
  private streamArn?: string;
  private readonly shards = new Map<string, ShardCursor>();
  private lastShardRefresh = 0;
  private polling?: Promise<number>;
  readonly deadLetters: { functionName: string; records: unknown[]; error: string }[] = [];

  constructor(
    private readonly mapping: LocalStreamMapping,
    private readonly dynamoDb: DynamoDBClient,
    private readonly streams: DynamoDBStreamsClient,
    private readonly invoke: (functionName: string, event: unknown) => Promise<unknown>,
    private readonly checkpointFile?: string,
  ) {}

  /** Resumes after the checkpoint's records; shards it does not know are read from their start. */
  async init(): Promise<void> {
    const table = await this.dynamoDb.send(new DescribeTableCommand({ TableName: this.mapping.tableName }));
    this.streamArn = table.Table?.LatestStreamArn;
    if (!this.streamArn) throw new Error(`Table ${this.mapping.tableName} has no stream`);
    const checkpoint = this.readCheckpoint();
    // A recreated table has a new stream: its old checkpoint means nothing.
    await this.refreshShards(checkpoint?.streamArn === this.streamArn ? checkpoint.shards : {}, this.mapping.startingPosition);
  }

  /**
   * One pass over every shard; resolves to the number of records read, delivered or filtered out
   * (a pass that read only records the filter drops still moved, so it is not quiet: settle waits
   * for passes that read nothing). Passes never overlap.
   */
  poll(): Promise<number> {
    if (!this.polling) this.polling = this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<number> {
    if (Date.now() - this.lastShardRefresh > 1000) await this.refreshShards({}, 'TRIM_HORIZON');
    let read = 0;
    for (const cursor of this.shards.values()) {
      if (cursor.closed || !cursor.iterator) continue;
      const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: this.mapping.batchSize }));
      cursor.iterator = page.NextShardIterator;
      if (!page.NextShardIterator) cursor.closed = true;
      const all = page.Records ?? [];
      read += all.length;
      const records = all.filter((r) => this.passesFilters(r));
      if (records.length > 0) await this.deliver(records);
      const last = all.at(-1)?.dynamodb?.SequenceNumber;
      if (last) {
        cursor.lastSequenceNumber = last;
        this.writeCheckpoint();
      }
    }
    return read;
  }

  private readCheckpoint(): Checkpoint | undefined {
    if (!this.checkpointFile) return undefined;
    try {
      return JSON.parse(readFileSync(this.checkpointFile, 'utf8')) as Checkpoint;
    } catch {
      return undefined; // none yet (first start), or unreadable: start from the trim horizon
    }
  }

  /** Written whole and renamed into place, so a crash leaves the old checkpoint or the new one. */
  private writeCheckpoint(): void {
    if (!this.checkpointFile || !this.streamArn) return;
    const shards: Record<string, string> = {};
    for (const [id, cursor] of this.shards) if (cursor.lastSequenceNumber) shards[id] = cursor.lastSequenceNumber;
    const checkpoint: Checkpoint = { streamArn: this.streamArn, shards };
    writeFileSync(`${this.checkpointFile}.tmp`, JSON.stringify(checkpoint));
    renameSync(`${this.checkpointFile}.tmp`, this.checkpointFile);
  }

  private passesFilters(record: _Record): boolean {
    if (this.mapping.filterPatterns.length === 0) return true;
    const plain = JSON.parse(JSON.stringify(record));
    return this.mapping.filterPatterns.some((pattern) => matchesEventPattern(pattern, plain));
  }

  private async deliver(records: _Record[]): Promise<void> {
    let remaining = records.map((r) => ({ ...repairEmptyMaps(JSON.parse(JSON.stringify(r))), eventSourceARN: this.streamArn }));
    for (let attempt = 0; remaining.length > 0; attempt++) {
      let error: string | undefined;
      try {
        const response = (await this.invoke(this.mapping.functionName, { Records: remaining })) as DynamoDBBatchResponse | undefined;
        const failures = this.mapping.reportBatchItemFailures ? (response?.batchItemFailures ?? []) : [];
        if (failures.length === 0) return;
        const firstFailed = Math.min(...failures.map((f) => remaining.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier)).filter((i) => i >= 0));
        remaining = Number.isFinite(firstFailed) ? remaining.slice(firstFailed) : remaining;
        error = 'batch item failures';
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      if (attempt >= this.mapping.retryAttempts) {
        this.deadLetters.push({ functionName: this.mapping.functionName, records: remaining, error });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
    }
  }

  /**
   * Picks up shards not seen yet: after their checkpointed record if there is one, else at the
   * mapping's starting position (at init) or from their start (a shard that appears later only
   * holds new records).
   */
  private async refreshShards(checkpoint: Record<string, string>, position: LocalStreamMapping['startingPosition']): Promise<void> {
    this.lastShardRefresh = Date.now();
    const description = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
      const after = checkpoint[shard.ShardId];
      const iterator = (type: 'AFTER_SEQUENCE_NUMBER' | LocalStreamMapping['startingPosition']) =>
        this.streams.send(
          new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shard.ShardId, ShardIteratorType: type, ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: after } : {}) }),
        );
      // A checkpoint older than the stream's 24 h retention points at trimmed records: read what is left.
      const { ShardIterator } = after ? await iterator('AFTER_SEQUENCE_NUMBER').catch(() => iterator('TRIM_HORIZON')) : await iterator(position);
      this.shards.set(shard.ShardId, { iterator: ShardIterator, closed: false, lastSequenceNumber: after });
    }
  }
}

/**
 * DynamoDB Local writes an empty map attribute into stream images as `{}` where DynamoDB Streams
 * (and so Lambda) sends `{"M":{}}`. `{}` is never a valid AttributeValue (empty lists and sets
 * arrive intact), so it can only mean an empty map.
 */
export function repairEmptyMaps<T>(value: T): T {
  if (Array.isArray(value)) return value.map(repairEmptyMaps) as T;
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, v]) => {
    const isAttributeMap = key === 'NewImage' || key === 'OldImage' || key === 'Keys' || key === 'M';
    return [key, isAttributeMap ? repairAttributeMap(v) : repairEmptyMaps(v)];
  });
  return Object.fromEntries(entries) as T;
}

function repairAttributeMap(map: unknown): unknown {
  if (!map || typeof map !== 'object') return map;
  return Object.fromEntries(Object.entries(map as Record<string, unknown>).map(([name, attr]) => [name, repairAttribute(attr)]));
}

function repairAttribute(attr: unknown): unknown {
  if (!attr || typeof attr !== 'object') return attr;
  const value = attr as Record<string, unknown>;
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: repairAttributeMap(value.M) };
  if (Array.isArray(value.L)) return { L: value.L.map(repairAttribute) };
  return value;
}
