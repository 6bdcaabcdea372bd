import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { installTimeSource } from '../shared/clock';
import { newId } from '../shared/ids';
import { newWebhook } from '../shared/webhooks/webhook';
import { LOCAL_RULES } from '../shared/webhooks/webhook-address';
import { dispatchWebhooks, retryDueDeliveries, type DeliveryDeps } from '../shared/webhooks/webhook-dispatch-use-case';
import { WebhookRepository } from '../shared/webhooks/webhook-repository';
import { sendSignedAttempt } from '../shared/webhooks/webhook-gateway';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, pool, round } from './benchmark';
import { startRuntime } from './local-stack';

export const webhooksBenchmark: Benchmark = {
  name: 'webhooks',
  title: 'Webhooks: events delivered to a receiver that fails a fifth of first attempts',
  run: runWebhooks,
};

const EVENTS = 10_000;
/** Dispatcher invocations at once (as many concurrent Lambda invocations of the rule's target). */
const CONCURRENCY = 20;
const FIRST_ATTEMPT_FAILURES = 0.2;


/**
 * Issue 18's webhook figure: EVENTS events through the webhook dispatcher (the rule's target, run
 * here in-process against DynamoDB Local) to a receiver on loopback that answers 500 to a fifth of
 * first attempts (chosen at random) and verifies every signature it gets; then the retry sweep,
 * the clock moved past each backoff, until nothing is pending. Counted: deliveries lost (an event
 * the receiver never accepted), unsigned or badly signed requests, and duplicates (the same
 * `webhook-id` accepted twice: at least once allows them; none are expected here).
 */
async function runWebhooks(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const runtime = await startRuntime(ctx.rootDir, [], []);
  const events = ctx.quick ? 1000 : EVENTS;
  let offset = 0;
  installTimeSource(() => Date.now() + offset);
  const seen = new Map<string, number>();
  const failedOnce = new Set<string>();
  let requests = 0;
  let badSignatures = 0;
  let secret = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests += 1;
      const id = String(req.headers['webhook-id']);
      try {
        // Verified at the dispatcher's clock, which the sweep moves forward.
        const verifier = new StandardWebhook(secret);
        const realNow = Date.now;
        Date.now = () => realNow() + offset;
        try {
          verifier.verify(body, req.headers as Record<string, string>);
        } finally {
          Date.now = realNow;
        }
      } catch {
        badSignatures += 1;
        res.writeHead(401).end();
        return;
      }
      if (!failedOnce.has(id) && !seen.has(id) && Math.random() < FIRST_ATTEMPT_FAILURES) {
        failedOnce.add(id);
        res.writeHead(500).end();
        return;
      }
      seen.set(id, (seen.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { dynamoDbEndpoint, tableName } = runtime.stack;
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoDbEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    const webhooks = new WebhookRepository(db, tableName);
    const deps: DeliveryDeps = { webhooks, send: (attempt) => sendSignedAttempt(attempt, LOCAL_RULES), random: Math.random };
    const tenant = `benchhook${newId().slice(-8).toLowerCase()}`;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    const webhook = newWebhook({ url, eventPattern: { 'detail-type': ['crm.customer.created.v1'] } }, { id: newId(), tenantId: tenant }, { userId: 'admin-1', tenantId: tenant, groups: ['admin'] }, new Date().toISOString());
    secret = webhook.secrets[0]!.secret;
    await webhooks.create(webhook);

    const ids = Array.from({ length: events }, () => newId());
    const busEvent = (id: string) => ({
      version: '0', id: `bus-${id}`, 'detail-type': 'crm.customer.created.v1', source: 'crm', account: '000000000000', time: new Date().toISOString(), region: 'local-1', resources: [],
      detail: { id, type: 'crm.customer.created.v1', occurredAt: new Date().toISOString(), tenantId: tenant, actor: { type: 'user', id: 'rep-1' }, correlationId: `bench-${id}`, data: { customerId: newId(), name: 'x', ownerId: 'rep-1' } },
    });

    ctx.log(`dispatching ${events} events, ${CONCURRENCY} at a time`);
    const started = performance.now();
    let redelivered = 0;
    await pool(ids, CONCURRENCY, async (id) => {
      await dispatchWebhooks(deps, busEvent(id));
    });
    // EventBridge delivers at least once: a sample of events comes again, and must not be sent again as new.
    for (const id of ids.slice(0, Math.min(200, ids.length))) {
      const again = await dispatchWebhooks(deps, busEvent(id));
      if (again.deliveries.every((d) => d.status === 'duplicate')) redelivered += 1;
    }
    const dispatchSeconds = (performance.now() - started) / 1000;

    ctx.log(`${failedOnce.size} first attempts failed; running the retry sweep`);
    let sweeps = 0;
    for (; sweeps < 20; sweeps++) {
      offset += 120_000;
      const run = await retryDueDeliveries(deps);
      if (run.attempted === 0 && run.skipped === 0) break;
      while ((await retryDueDeliveries(deps)).attempted > 0);
    }
    const seconds = (performance.now() - started) / 1000;

    let pending = 0;
    let delivered = 0;
    let cursor: string | undefined;
    do {
      const page = await webhooks.deliveries(tenant, webhook.id, 100, cursor);
      for (const d of page.items) {
        if (d.status === 'delivered') delivered += 1;
        else pending += 1;
      }
      cursor = page.cursor ?? undefined;
    } while (cursor);
    const lost = ids.filter((id) => !seen.has(id)).length;
    const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);

    return {
      figures: { events, requests, firstAttemptFailures: failedOnce.size, delivered, pending, lost, duplicates, badSignatures, redeliveredSample: redelivered, sweeps, seconds: round(seconds, 1), dispatchSeconds: round(dispatchSeconds, 1), eventsPerSecond: round(events / dispatchSeconds, 1) },
      tables: [
        {
          title: `${events} events to one webhook; the receiver answers 500 to ${FIRST_ATTEMPT_FAILURES * 100} % of first attempts; ${CONCURRENCY} dispatchers`,
          columns: ['Figure', 'Value'],
          rows: [
            ['first attempts that failed', String(failedOnce.size)],
            ['requests the receiver got (first attempts and retries)', String(requests)],
            ['deliveries delivered / still pending', `${delivered} / ${pending}`],
            ['events lost (never accepted by the receiver)', String(lost)],
            ['duplicates (a webhook-id accepted twice)', String(duplicates)],
            ['requests without a valid Standard Webhooks signature', String(badSignatures)],
            ['redelivered events sent again as new (of a sample of 200)', String(Math.min(200, events) - redelivered)],
            ['retry sweeps run (clock moved 2 min before each)', String(sweeps)],
            ['events dispatched per second (first attempts)', fmt(round(events / dispatchSeconds, 1))],
          ],
        },
      ],
      reach: [
        { subject: 'events lost', target: '0', actual: String(lost), met: lost === 0 && pending === 0 },
        { subject: 'deliveries without a valid signature', target: '0', actual: String(badSignatures), met: badSignatures === 0 },
      ],
      notes: [
        'At least once: a receiver may get a delivery twice (an attempt whose answer was lost is retried); receivers dedupe on `webhook-id`. The duplicates row states how many happened here.',
        'The dispatcher and the sweep run in the benchmark process as their Lambda functions run them; the receiver is an HTTP server on loopback (allowed locally only).',
      ],
    };
  } finally {
    installTimeSource(Date.now);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.stop();
  }
}
