import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DailyStatsRepository } from '../shared/stats/daily-stats-repository';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt } from './benchmark';
import { apiClient, issueToken, type LocalStack, startRuntime } from './local-stack';

const CREATED = 'crm.customer.created.v1';
const CREATES = 100;
const FULL_ROUNDS = 5;
const QUICK_ROUNDS = 1;

export const eventLossBenchmark: Benchmark = {
  name: 'event-loss',
  title: 'Crash and restart: no committed event lost',
  run: runEventLoss,
};

export interface CrashRound {
  /** Creates answered 201 before the crash. */
  acknowledged: number;
  /** Customers in the tenant after the restart (acknowledged or not, they were committed). */
  stored: number;
  /** `crm.customer.created.v1` counted by the stats consumer, once per event id. */
  counted: number;
  /** Committed customers whose event was never counted. */
  lost: number;
  /** Counted beyond one per customer (an event counted twice under different ids). */
  duplicated: number;
  /** Acknowledged customers missing after the restart (a lost commit). */
  missing: number;
  restartMs: number;
}

/**
 * One round: `creates` customers created at once against `npm start` on a data dir, the runtime
 * SIGKILLed once half of them were answered, restarted on the same dir and settled. Every
 * committed customer must then have exactly one counted `created` event: the stream checkpoint
 * and the bus's log carry what was in flight across the crash.
 */
export async function crashAndRestartRound(rootDir: string, dataDir: string, tenantId: string, creates = CREATES): Promise<CrashRound> {
  const first = await startRuntime(rootDir, [], [], dataDir);
  let acknowledgedIds: string[];
  try {
    const token = await issueToken(first.stack.apiUrl, tenantId);
    const { send } = apiClient(first.stack.apiUrl);
    acknowledgedIds = [];
    let crashing: Promise<void> | undefined;
    await Promise.allSettled(
      Array.from({ length: creates }, async (_, i) => {
        const res = await send('POST', '/customers', token, { name: `Crash ${tenantId} ${i}`, emails: [`c${i}@${tenantId}.example`] });
        if (res.status !== 201) return;
        acknowledgedIds.push(((await res.json()) as { id: string }).id);
        if (acknowledgedIds.length === Math.floor(creates / 2)) crashing = first.crash();
      }),
    );
    await crashing;
    await waitUntilDown(first.stack.dynamoDbEndpoint);
  } finally {
    await first.stop();
  }

  const restartedAt = performance.now();
  const second = await startRuntime(rootDir, [], [], dataDir);
  try {
    const { json } = apiClient(second.stack.apiUrl);
    await json('POST', '/_local/settle', undefined);
    const restartMs = performance.now() - restartedAt;
    const admin = String((await json('POST', '/_local/tokens', undefined, { sub: 'admin-1', tenantId, groups: ['admin'] })).token);
    const stored = await listCustomers(second.stack.apiUrl, admin);
    const counted = await countCreated(second.stack, tenantId, new Set(stored.map((c) => c.createdAt.slice(0, 10))));
    const storedIds = new Set(stored.map((c) => c.id));
    return {
      acknowledged: acknowledgedIds.length,
      stored: stored.length,
      counted,
      lost: Math.max(0, stored.length - counted),
      duplicated: Math.max(0, counted - stored.length),
      missing: acknowledgedIds.filter((id) => !storedIds.has(id)).length,
      restartMs,
    };
  } finally {
    await second.stop();
  }
}

async function listCustomers(apiUrl: string, token: string): Promise<{ id: string; createdAt: string }[]> {
  const { json } = apiClient(apiUrl);
  const all: { id: string; createdAt: string }[] = [];
  let cursor: string | null = null;
  do {
    const page = await json('GET', `/customers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    all.push(...(page.items as { id: string; createdAt: string }[]));
    cursor = page.cursor as string | null;
  } while (cursor);
  return all;
}

async function countCreated(stack: LocalStack, tenantId: string, days: Set<string>): Promise<number> {
  const client = new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const stats = new DailyStatsRepository(DynamoDBDocumentClient.from(client), stack.tableName);
    let total = 0;
    for (const day of days) total += await stats.read(tenantId, day, CREATED);
    return total;
  } finally {
    client.destroy();
  }
}

/** The crashed runtime's JVM guard ends DynamoDB Local: a restart must not find it holding the files. */
async function waitUntilDown(endpoint: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const up = await fetch(endpoint, { signal: AbortSignal.timeout(500) }).then(
      () => true,
      () => false,
    );
    if (!up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`DynamoDB Local at ${endpoint} still answers 10 s after the crash`);
}

export async function runEventLoss(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const rounds = ctx.quick ? QUICK_ROUNDS : FULL_ROUNDS;
  mkdirSync(ctx.tmpDir, { recursive: true });
  const dataDir = mkdtempSync(join(ctx.tmpDir, 'data-'));
  const results: CrashRound[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      ctx.log(`round ${r + 1}/${rounds}: ${CREATES} creates, SIGKILL at ${CREATES / 2} answered, restart on the same data dir`);
      results.push(await crashAndRestartRound(ctx.rootDir, dataDir, `crash${r}`));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const lost = results.reduce((sum, r) => sum + r.lost + r.missing, 0);
  const duplicated = results.reduce((sum, r) => sum + r.duplicated, 0);
  const inFlight = results.reduce((sum, r) => sum + (r.stored - r.acknowledged), 0);
  return {
    figures: { rounds: results, lostEvents: lost, duplicatedCounts: duplicated, committedButUnanswered: inFlight },
    tables: [
      {
        columns: ['Round', 'Answered 201', 'Stored', 'Counted created', 'Lost events', 'Counted twice', 'Lost commits', 'Restart + settle (ms)'],
        rows: results.map((r, i) => [String(i + 1), String(r.acknowledged), String(r.stored), String(r.counted), String(r.lost), String(r.duplicated), String(r.missing), fmt(r.restartMs, 0)]),
      },
    ],
    reach: [
      { subject: `events lost over ${rounds} kill-and-restart rounds of ${CREATES} creates`, target: '0', actual: String(lost), met: lost === 0 },
      { subject: 'created events counted more than once per customer', target: '0', actual: String(duplicated), met: duplicated === 0 },
    ],
    notes: [
      `${inFlight} customers over all rounds were committed but never answered (the crash came first): their events count too.`,
      "Counted = the stats consumer's per-tenant daily counter, which counts each event id once (redeliveries after the restart are expected and must not count again).",
    ],
  };
}
