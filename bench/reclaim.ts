import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { monotonicFactory } from 'ulid';
import type { SweepReport } from '../shared/allocation/reclaim-digest-use-case';
import { createCustomerInput, newCustomer } from '../shared/customers/customer';
import { profileIndexKeys } from '../shared/customers/profile-item';
import { keys } from '../shared/keys';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, round } from './benchmark';
import { runClosedLoop } from './load';
import { expectOk, startRuntime } from './local-stack';

const TENANT = 'benchreclaim';
const FULL_CUSTOMERS = 100_000;
const QUICK_CUSTOMERS = 10_000;
/** 1% of the owned customers are past their deadline. */
const DUE_SHARE = 0.01;
const TARGET_RATIO = 1.2;
const DAY_MS = 86_400_000;

type Counts = Record<string, { requests: number; readCapacityUnits: number; writeCapacityUnits: number }>;
interface Execution {
  flow: string;
  status: string;
  output: SweepReport;
  startDate: string;
  stopDate: string;
}

export const reclaimBenchmark: Benchmark = {
  name: 'reclaim',
  title: 'Reclaim sweep: reads proportional to what is due',
  run: runReclaim,
};

/**
 * Issue 4, measured: N owned customers (100,000; 10,000 with --quick), 1% due. One sweep run
 * (schedule -> state machine -> Lambdas) on the local runtime started with --count-requests; the
 * run's read capacity, as DynamoDB Local reports it, against the number of due customers.
 */
export async function runReclaim(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const total = ctx.quick ? QUICK_CUSTOMERS : FULL_CUSTOMERS;
  const dueCount = Math.round(total * DUE_SHARE);
  const reps = Math.max(10, Math.round(dueCount / 10));
  const runtime = await startRuntime(ctx.rootDir, [], ['--count-requests']);
  try {
    const { apiUrl, dynamoDbEndpoint, tableName } = runtime.stack;
    const json = (res: Response, what: string) => expectOk(res, what) as Promise<Record<string, unknown>>;
    const post = (path: string, body?: unknown, token?: string, method = 'POST') =>
      fetch(`${apiUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((res) => json(res, `${method} ${path}`));
    const get = (path: string) => fetch(`${apiUrl}${path}`).then((res) => json(res, `GET ${path}`));

    const admin = String((await post('/_local/tokens', { sub: 'admin-1', tenantId: TENANT, groups: ['admin'] })).token);
    const pool = await post(
      '/pools',
      {
        name: 'General',
        members: { users: [], groups: ['rep'] },
        policy: {
          rules: { noFollowUpDays: 30 },
          warningDaysBefore: 3,
          claimLimits: { perRequest: 5, perRepPerDay: 20, maxOwnedPerRep: 100_000, maxLockedPerRep: 10 },
          reclaimCooldownDays: 7,
        },
      },
      admin,
    );
    const poolId = String(pool.id);
    const repIds = Array.from({ length: reps }, (_, i) => `rep-${String(i).padStart(3, '0')}`);
    for (const repId of repIds) await post(`/users/${repId}`, { email: `${repId}@bench.example`, name: `Rep ${repId}` }, admin, 'PUT');

    const now = Date.parse(String((await get('/_local/clock')).now));
    ctx.log(`seeding ${total} owned customers (${dueCount} due) with BatchWriteItem into DynamoDB Local`);
    const dynamo = new DynamoDBClient({ endpoint: dynamoDbEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const nextId = monotonicFactory();
    const item = (i: number) => {
      const due = i % Math.round(1 / DUE_SHARE) === 0;
      // Every 100th customer is due; owners go round in blocks so each rep has some of the due ones.
      const ownerId = repIds[Math.floor(i / 7) % reps]!;
      const assignedAt = new Date(now - (due ? 40 : 5) * DAY_MS).toISOString();
      const id = nextId(now - 41 * DAY_MS + i);
      const base = newCustomer(
        createCustomerInput.parse({
          kind: 'company',
          name: `Customer ${String(i).padStart(6, '0')} GmbH`,
          emails: [`buyer${i}@c${i}.example`, `office${i}@c${i}.example`],
          phones: [`+49 30 ${String(1_000_000 + i)}`],
          website: `https://c${i}.example`,
          address: { street: `Hauptstrasse ${i % 300}`, city: 'Berlin', postalCode: '10115', country: 'DE' },
          industry: 'Manufacturing',
          region: 'EMEA',
          tags: ['bench', i % 2 ? 'odd' : 'even'],
          consent: { marketing: i % 3 === 0 },
        }),
        { userId: ownerId, tenantId: TENANT, groups: ['rep'] },
        id,
        assignedAt,
      );
      const customer = { ...base, homePoolId: poolId, reclaimCheckAt: new Date(now + (due ? -3_600_000 : 20 * DAY_MS)).toISOString() };
      return { ...keys.customer(TENANT, id), entity: 'Customer', ...customer, ...profileIndexKeys(customer) };
    };
    const itemBytes = Buffer.byteLength(JSON.stringify(item(1)));
    const batches = Math.ceil(total / 25);
    let nextBatch = 0;
    const seedStart = performance.now();
    const seeded = await runClosedLoop(
      async () => {
        const b = nextBatch++;
        let requests: WriteRequest[] = Array.from({ length: Math.min(25, total - b * 25) }, (_, k) => ({
          PutRequest: { Item: marshall(item(b * 25 + k), { removeUndefinedValues: true }) },
        }));
        while (requests.length) {
          const result = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
          requests = result.UnprocessedItems?.[tableName] ?? [];
        }
      },
      { concurrency: 8, maxOps: batches },
    );
    if (seeded.errors) throw new Error(`seeding failed: ${seeded.firstError}`);
    const seedMs = performance.now() - seedStart;
    dynamo.destroy();
    ctx.log(`seeded in ${(seedMs / 1000).toFixed(1)} s (${Math.round(total / (seedMs / 1000))} items/s); running the sweep`);

    await post('/_local/settle');
    await post('/_local/dynamodb-requests/reset');
    const runs: Execution[] = [];
    const sweepStart = performance.now();
    for (let i = 0; i < 5; i++) {
      const before = ((await get('/_local/executions')).executions as Execution[]).length;
      await post('/_local/schedules/reclaim/run');
      const run = ((await get('/_local/executions')).executions as Execution[]).slice(before).find((e) => e.flow === 'reclaim');
      if (run?.status !== 'SUCCEEDED') throw new Error(`reclaim run ${run?.status ?? 'missing'}`);
      runs.push(run);
      if (!run.output.capped) break;
    }
    const sweepMs = performance.now() - sweepStart;
    const operations = (await get('/_local/dynamodb-requests')).operations as Counts;

    const sum = (k: 'readCapacityUnits' | 'writeCapacityUnits') => Object.values(operations).reduce((s, op) => s + op[k], 0);
    const readUnits = sum('readCapacityUnits');
    const writeUnits = sum('writeCapacityUnits');
    const totals = (k: keyof SweepReport) => runs.reduce((s, r) => s + Number(r.output[k]), 0);
    const evaluated = totals('due');
    const reclaimed = totals('reclaimed');
    const ratio = readUnits / dueCount;
    const executionMs = runs.reduce((s, r) => s + (Date.parse(r.stopDate) - Date.parse(r.startDate)), 0);
    const read = (op: string) => operations[op] ?? { requests: 0, readCapacityUnits: 0, writeCapacityUnits: 0 };

    return {
      figures: {
        customers: total,
        due: dueCount,
        reps,
        profileItemBytes: itemBytes,
        seed: { ms: Math.round(seedMs), itemsPerSec: Math.round(total / (seedMs / 1000)) },
        runs: runs.map((r) => ({ output: r.output, executionMs: Date.parse(r.stopDate) - Date.parse(r.startDate) })),
        requests: operations,
        readCapacityUnits: round(readUnits, 1),
        writeCapacityUnits: round(writeUnits, 1),
        readUnitsPerDueCustomer: round(ratio, 3),
        executionMs,
        sweepWallMs: Math.round(sweepMs),
      },
      tables: [
        {
          title: `One sweep over ${total.toLocaleString('en-US')} owned customers, ${dueCount.toLocaleString('en-US')} due (${runs.length} run${runs.length > 1 ? 's' : ''})`,
          columns: ['Figure', 'Value'],
          rows: [
            ['due customers evaluated / reclaimed', `${evaluated} / ${reclaimed}`],
            ['digest emails', String(totals('digests'))],
            ['read capacity units (all reads of the run)', fmt(readUnits, 1)],
            ['read units per due customer', fmt(ratio, 3)],
            ['  of which GSI2 Query (index entries)', `${fmt(read('Query').readCapacityUnits, 1)} in ${read('Query').requests} requests`],
            ['  of which GetItem (profiles, directory)', `${fmt(read('GetItem').readCapacityUnits, 1)} in ${read('GetItem').requests} requests`],
            ['write capacity units', fmt(writeUnits, 1)],
            ['execution time (state machine, s)', fmt(executionMs / 1000, 2)],
            ['wall time incl. event publishing (s)', fmt(sweepMs / 1000, 2)],
            ['seeding (BatchWriteItem, items/s)', String(Math.round(total / (seedMs / 1000)))],
          ],
        },
        {
          title: 'DynamoDB requests of the sweep (counted at DynamoDB Local)',
          columns: ['Operation', 'Requests', 'Read units', 'Write units'],
          rows: Object.entries(operations).map(([op, c]) => [op, String(c.requests), fmt(c.readCapacityUnits, 1), fmt(c.writeCapacityUnits, 1)]),
        },
      ],
      reach: [
        { subject: 'read capacity units per due customer', target: `<= ${TARGET_RATIO}`, actual: fmt(ratio, 3), met: ratio <= TARGET_RATIO },
        { subject: 'due customers reclaimed', target: String(dueCount), actual: String(reclaimed), met: reclaimed === dueCount && totals('failed') === 0 },
      ],
      notes: [
        `Profiles are ~${itemBytes} bytes (company with two emails, a phone, an address, tags and consent). The sweep Queries GSI2 for entries due now (\`GSI2SK <= <now>~\`), so the ${(total - dueCount).toLocaleString('en-US')} customers with a future check cost nothing; each due customer costs its index entry (eventually consistent, ~1/8 unit at this size) and one eventually consistent GetItem (1/2 unit), plus the tenant's pools once per run and one directory GetItem per rep with a digest.`,
        'Read and write units are what DynamoDB Local reports with ReturnConsumedCapacity TOTAL for the handlers\' requests; the stream poller (outbox publishing) is not a handler and is not counted.',
        'Execution time is the state machine\'s (start to stop on the runtime clock); wall time adds the settle after it: the stream turning the outbox items into bus events.',
      ],
    };
  } finally {
    await runtime.stop();
  }
}
