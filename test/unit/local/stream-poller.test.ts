import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, type DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { repairEmptyMaps, StreamPoller } from '../../../local/stream-poller';
import type { LocalStreamMapping } from '../../../local/wiring';

// DynamoDB and DynamoDB Streams replaced by an in-memory stream: shards are arrays of records,
// a shard iterator is "shardId@position".

const STREAM_ARN = 'arn:aws:dynamodb:local-1:000000000000:table/crm-t/stream/2026-01-01T00:00:00.000';

class FakeStream {
  readonly shards = new Map<string, _Record[]>([['shard-1', []]]);
  private sequence = 100;

  write(sk: string, shard = 'shard-1', eventName: 'INSERT' | 'MODIFY' = 'INSERT'): string {
    const sequenceNumber = String(this.sequence++);
    const records = this.shards.get(shard) ?? [];
    this.shards.set(shard, records);
    records.push({ eventID: `e-${sequenceNumber}`, eventName, dynamodb: { Keys: { PK: { S: 'T#acme' }, SK: { S: sk } }, SequenceNumber: sequenceNumber } });
    return sequenceNumber;
  }

  readonly streams = {
    send: async (command: unknown) => {
      if (command instanceof DescribeStreamCommand) {
        return { StreamDescription: { Shards: [...this.shards.keys()].map((ShardId) => ({ ShardId })) } };
      }
      if (command instanceof GetShardIteratorCommand) {
        const { ShardId, ShardIteratorType } = command.input;
        const records = this.shards.get(ShardId!)!;
        if (ShardIteratorType === 'AFTER_SEQUENCE_NUMBER') {
          const at = records.findIndex((r) => r.dynamodb?.SequenceNumber === command.input.SequenceNumber);
          if (at < 0) throw new Error('TrimmedDataAccessException');
          return { ShardIterator: `${ShardId}@${at + 1}` };
        }
        const position = ShardIteratorType === 'LATEST' ? records.length : 0;
        return { ShardIterator: `${ShardId}@${position}` };
      }
      if (command instanceof GetRecordsCommand) {
        const [shard, position] = command.input.ShardIterator!.split('@') as [string, string];
        const start = Number(position);
        const records = this.shards.get(shard)!.slice(start, start + (command.input.Limit ?? 1000));
        return { Records: records, NextShardIterator: `${shard}@${start + records.length}` };
      }
      throw new Error(`unexpected command ${String(command)}`);
    },
  } as unknown as DynamoDBStreamsClient;

  dynamoDb(withStream = true): DynamoDBClient {
    return {
      send: async (command: unknown) => {
        if (command instanceof DescribeTableCommand) return { Table: { TableName: command.input.TableName, LatestStreamArn: withStream ? STREAM_ARN : undefined } };
        throw new Error('unexpected command');
      },
    } as unknown as DynamoDBClient;
  }
}

interface Batch {
  Records: { eventID: string; eventSourceARN: string; dynamodb: { SequenceNumber: string } }[];
}

function mapping(extra: Partial<LocalStreamMapping> = {}): LocalStreamMapping {
  return {
    functionName: 'publish',
    tableName: 'crm-t',
    batchSize: 100,
    filterPatterns: [],
    retryAttempts: 2,
    bisectBatchOnError: false,
    reportBatchItemFailures: true,
    startingPosition: 'TRIM_HORIZON',
    ...extra,
  };
}

function poller(stream: FakeStream, m: LocalStreamMapping, respond: (batch: Batch, call: number) => unknown = () => undefined) {
  const batches: Batch[] = [];
  const invoke = async (functionName: string, event: unknown) => {
    expect(functionName).toBe(m.functionName);
    batches.push(event as Batch);
    return respond(event as Batch, batches.length);
  };
  return { poller: new StreamPoller(m, stream.dynamoDb(), stream.streams, invoke), batches };
}

const sequences = (batch: Batch | undefined) => batch?.Records.map((r) => r.dynamodb.SequenceNumber);

afterEach(() => {
  vi.useRealTimers();
});

describe('StreamPoller', () => {
  it('init fails for a table without a stream', async () => {
    const stream = new FakeStream();
    const p = new StreamPoller(mapping(), stream.dynamoDb(false), stream.streams, async () => undefined);

    const act = p.init();

    await expect(act).rejects.toThrow(/Table crm-t has no stream/);
  });

  it('starts at TRIM_HORIZON like the deployed mapping: records written before init are delivered too', async () => {
    const stream = new FakeStream();
    const old = stream.write('EVT#old');
    const { poller: p, batches } = poller(stream, mapping());
    await p.init();
    const s1 = stream.write('EVT#1');

    await p.poll();

    expect(sequences(batches[0])).toEqual([old, s1]);
  });

  it('resumes after its checkpoint on a restart: nothing handed over is repeated, nothing written meanwhile is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poller-'));
    const file = join(dir, 'checkpoint.json');
    const stream = new FakeStream();
    const batches: Batch[] = [];
    const start = () => new StreamPoller(mapping(), stream.dynamoDb(), stream.streams, async (_, event) => void batches.push(event as Batch), file);
    const first = start();
    await first.init();
    const s1 = stream.write('EVT#1');
    await first.poll();
    const s2 = stream.write('EVT#2'); // committed while the runtime is down

    const second = start();
    await second.init();
    await second.poll();

    expect(batches.map(sequences)).toEqual([[s1], [s2]]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ streamArn: STREAM_ARN, shards: { 'shard-1': s2 } });
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads from the trim horizon when its checkpoint points at records the stream no longer has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poller-'));
    const file = join(dir, 'checkpoint.json');
    writeFileSync(file, JSON.stringify({ streamArn: STREAM_ARN, shards: { 'shard-1': '1' } }));
    const stream = new FakeStream();
    const s1 = stream.write('EVT#1');
    const batches: Batch[] = [];
    const restarted = new StreamPoller(mapping(), stream.dynamoDb(), stream.streams, async (_, event) => void batches.push(event as Batch), file);

    await restarted.init();
    await restarted.poll();

    expect(sequences(batches[0])).toEqual([s1]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('at LATEST, delivers the records written after init, not those written before, with the stream ARN', async () => {
    const stream = new FakeStream();
    stream.write('EVT#old');
    const { poller: p, batches } = poller(stream, mapping({ startingPosition: 'LATEST' }));
    await p.init();
    const s1 = stream.write('EVT#1');
    const s2 = stream.write('EVT#2');

    const delivered = await p.poll();

    expect(delivered).toBe(2);
    expect(batches).toHaveLength(1);
    expect(sequences(batches[0])).toEqual([s1, s2]);
    expect(batches[0]?.Records.every((r) => r.eventSourceARN === STREAM_ARN)).toBe(true);
  });

  it('counts the records a pass read, delivered or filtered out, so settle never takes a pass over other records for a quiet one', async () => {
    const stream = new FakeStream();
    const { poller: p, batches } = poller(stream, mapping({ batchSize: 2, filterPatterns: [{ dynamodb: { Keys: { SK: { S: [{ prefix: 'EVT#' }] } } } }] }));
    await p.init();
    stream.write('CUST#1');
    stream.write('CUST#2');
    const event = stream.write('EVT#1');

    const first = await p.poll();
    const second = await p.poll();
    const third = await p.poll();

    expect([first, second, third]).toEqual([2, 1, 0]);
    expect(batches.map(sequences)).toEqual([[event]]);
  });

  it('does not deliver a record twice', async () => {
    const stream = new FakeStream();
    const { poller: p, batches } = poller(stream, mapping());
    await p.init();
    stream.write('EVT#1');
    await p.poll();

    const delivered = await p.poll();

    expect(delivered).toBe(0);
    expect(batches).toHaveLength(1);
  });

  it('drops records that match none of the filter patterns', async () => {
    const stream = new FakeStream();
    const filter = { eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix: 'EVT#' }] } } } };
    const { poller: p, batches } = poller(stream, mapping({ filterPatterns: [filter] }));
    await p.init();
    const kept = stream.write('EVT#1');
    stream.write('CUSTOMER#1');
    stream.write('EVT#2', 'shard-1', 'MODIFY');

    const read = await p.poll();

    expect(read).toBe(3);
    expect(batches).toHaveLength(1);
    expect(sequences(batches[0])).toEqual([kept]);
  });

  it('reads at most batchSize records per invocation', async () => {
    const stream = new FakeStream();
    const { poller: p, batches } = poller(stream, mapping({ batchSize: 2 }));
    await p.init();
    stream.write('EVT#1');
    stream.write('EVT#2');
    stream.write('EVT#3');

    await p.poll();
    await p.poll();

    expect(batches.map((b) => b.Records.length)).toEqual([2, 1]);
  });

  it('retries a batch from the first reported item failure', async () => {
    const stream = new FakeStream();
    const secondFailsOnce = (batch: Batch, call: number) => ({ batchItemFailures: call === 1 ? [{ itemIdentifier: batch.Records[1]!.dynamodb.SequenceNumber }] : [] });
    const { poller: p, batches } = poller(stream, mapping(), secondFailsOnce);
    await p.init();
    const s1 = stream.write('EVT#1');
    const s2 = stream.write('EVT#2');
    const s3 = stream.write('EVT#3');

    await p.poll();

    expect(batches.map(sequences)).toEqual([[s1, s2, s3], [s2, s3]]);
    expect(p.deadLetters).toEqual([]);
  });

  it('ignores batchItemFailures when the mapping does not report them', async () => {
    const stream = new FakeStream();
    const { poller: p, batches } = poller(stream, mapping({ reportBatchItemFailures: false }), (batch) => ({
      batchItemFailures: [{ itemIdentifier: batch.Records[0]!.dynamodb.SequenceNumber }],
    }));
    await p.init();
    stream.write('EVT#1');

    await p.poll();

    expect(batches).toHaveLength(1);
  });

  it('retries a failing invocation retryAttempts times, then keeps the records as dead letters', async () => {
    const stream = new FakeStream();
    const { poller: p, batches } = poller(stream, mapping({ retryAttempts: 2 }), () => {
      throw new Error('bus unavailable');
    });
    await p.init();
    const s1 = stream.write('EVT#1');

    await p.poll();

    expect(batches).toHaveLength(3);
    expect(p.deadLetters).toHaveLength(1);
    expect(p.deadLetters[0]).toMatchObject({ functionName: 'publish', error: 'bus unavailable' });
    expect(p.deadLetters[0]?.records).toEqual([expect.objectContaining({ dynamodb: expect.objectContaining({ SequenceNumber: s1 }) })]);
  });

  it('reads a shard that appears after init from its beginning', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const stream = new FakeStream();
    const { poller: p, batches } = poller(stream, mapping());
    await p.init();
    const inNewShard = stream.write('EVT#1', 'shard-2');
    vi.setSystemTime(Date.now() + 5000);

    await p.poll();

    expect(batches.map(sequences)).toEqual([[inNewShard]]);
  });

  it('never runs two passes at once: a second poll during a pass shares it', async () => {
    const stream = new FakeStream();
    const { poller: p, batches } = poller(stream, mapping());
    await p.init();
    stream.write('EVT#1');

    const [a, b] = await Promise.all([p.poll(), p.poll()]);

    expect([a, b]).toEqual([1, 1]);
    expect(batches).toHaveLength(1);
  });
});

describe('repairEmptyMaps (DynamoDB Local writes an empty map as {})', () => {
  it('turns {} into {"M":{}} in images and keys, at any depth, and leaves everything else alone', () => {
    const record = {
      eventName: 'INSERT',
      dynamodb: {
        Keys: { PK: { S: 'a' } },
        NewImage: { consent: {}, list: { L: [{}, { S: 'x' }] }, nested: { M: { inner: {} } }, tags: { L: [] }, n: { NULL: true } },
        SequenceNumber: '1',
      },
    };

    expect(repairEmptyMaps(record)).toEqual({
      eventName: 'INSERT',
      dynamodb: {
        Keys: { PK: { S: 'a' } },
        NewImage: { consent: { M: {} }, list: { L: [{ M: {} }, { S: 'x' }] }, nested: { M: { inner: { M: {} } } }, tags: { L: [] }, n: { NULL: true } },
        SequenceNumber: '1',
      },
    });
  });
});
