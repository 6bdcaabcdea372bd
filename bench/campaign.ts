import { BatchWriteItemCommand, DynamoDBClient, GetItemCommand, paginateQuery, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { monotonicFactory } from 'ulid';
import { createCustomerInput, newCustomer } from '../shared/customers/customer';
import { profileIndexKeys } from '../shared/customers/profile-item';
import { keys } from '../shared/keys';
import { SES_BULK_MAX_DESTINATIONS } from '../shared/campaigns/campaign';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, round } from './benchmark';
import { runClosedLoop } from './load';
import { apiClient, expectOk, startRuntime } from './local-stack';

const TENANT = 'benchcampaign';
const TAG = 'bench-campaign';
/** Issue 15: at least 50,000 eligible (50,019: not a multiple of 50, so the last call is partial); 100,000 only if the machine sent them within 5 minutes, and it does not. */
const FULL_AUDIENCE = Number(process.env.CAMPAIGN_BENCH_AUDIENCE ?? 50_030);
const QUICK_AUDIENCE = 1_000;
/**
 * The campaign's configured rate (recipients per second). At least 50, so every SendBulkEmail can
 * carry SES's full 50 destinations and the call count is ceil(eligible / 50). Below the 200
 * recipients the flow can have in flight at once (Map concurrency 4 x 50), so the limiter has to
 * hold batches back and the per-second check tests it: at 250 this machine never bunched more than
 * 200 into a second, and the check could not fail. 50,000 recipients need 333 s at this rate.
 * CAMPAIGN_BENCH_RATE overrides it for experiments.
 */
const RATE_PER_SECOND = Number(process.env.CAMPAIGN_BENCH_RATE ?? 150);
/**
 * The flow's history budget in batches per execution (`--context campaignBatchesPerExecution`):
 * a quarter of the 1,000 batches the audience needs, so the run hands over three times and each
 * execution's history is measured; the AWS default (1,000) is judged from the events per batch.
 */
const BATCHES_PER_EXECUTION = Number(process.env.CAMPAIGN_BENCH_BATCHES_PER_EXECUTION ?? 250);
const QUICK_BATCHES_PER_EXECUTION = 5;
/** Step Functions' limit of history events per execution. */
const HISTORY_LIMIT = 25_000;
const AWS_DEFAULT_BATCHES_PER_EXECUTION = 1000;
/** Give up on a campaign that has not finished after this long (10x the time its rate needs, at least 5 min). */
const MIN_TIMEOUT_MS = 300_000;
/**
 * Status polls: each is a request the runtime serves on the same event loop as the senders, so
 * they are kept sparse; the end time is the campaign's completedAt, not the poll that sees it.
 */
const POLL_MS = 1000;

/**
 * Customers of the segment who must not be mailed, by reason (they are part of the audience).
 * The counts are small and uneven on purpose: eligible = audience - 11 is not a multiple of 50, so
 * the last SendBulkEmail is a partial one and ceil(eligible / 50) is tested, not just the division.
 */
const SKIPS = {
  /** Opted out of `marketing` (a consent record with granted: false); one of them through POST /customers. */
  optedOut: 3,
  /** Never asked: no consent record for the topic at all. */
  neverAsked: 2,
  /** Consented, but the address is on the tenant's suppression list (POST /suppressions). */
  suppressed: 4,
  /** Consented, no email address. */
  noAddress: 2,
} as const;

interface CampaignView {
  id: string;
  status: string;
  failure: string | null;
  startedAt: string | null;
  frozenAt: string | null;
  completedAt: string | null;
  stats: Record<string, number>;
}
interface Execution {
  name: string;
  flow: string;
  status: string;
  historyEvents: number;
}
interface SesCalls {
  addresses: { distinct: number; mailedMoreThanOnce: number };
  calls: { operation: string; at: number; outcome: string; destinations: number; recipients: number }[];
  dropped: number;
  summary: { sendEmail: number; sendBulkEmail: number; throttled: number; failed: number; recipients: number; maxRecipientsPerSecond: number; recipientsPerSecond: { second: number; recipients: number }[] };
}

export const campaignBenchmark: Benchmark = {
  name: 'campaign',
  title: 'Campaign: 50,000 recipients end to end, across executions',
  run: runCampaign,
};

/**
 * Issue 5, measured: one campaign to a tags-only segment of N customers (10,000; 1,000 with
 * --quick) on the local runtime, from `POST /campaigns/{id}/send` to status `sent`: recipients per
 * second, the SendBulkEmail calls the SES stand-in saw against ceil(eligible / 50), and the most
 * recipients SES received in any wall-clock second against the campaign's configured rate.
 */
export async function runCampaign(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const audience = ctx.quick ? QUICK_AUDIENCE : FULL_AUDIENCE;
  const skipped = Object.values(SKIPS).reduce((s, n) => s + n, 0);
  const eligible = audience - skipped;
  const expectedCalls = Math.ceil(eligible / SES_BULK_MAX_DESTINATIONS);
  if (!(RATE_PER_SECOND >= SES_BULK_MAX_DESTINATIONS)) throw new RangeError(`CAMPAIGN_BENCH_RATE must be >= ${SES_BULK_MAX_DESTINATIONS}: smaller batches make the call count differ from ceil(eligible / 50)`);

  const budget = ctx.quick ? QUICK_BATCHES_PER_EXECUTION : BATCHES_PER_EXECUTION;
  const expectedExecutions = Math.ceil(expectedCalls / budget);
  const runtime = await startRuntime(ctx.rootDir, [], ['--context', `campaignBatchesPerExecution=${budget}`]);
  let closeDynamo = () => {};
  try {
    const { apiUrl, dynamoDbEndpoint, tableName } = runtime.stack;
    const { send, json } = apiClient(apiUrl);
    const token = async (sub: string, group: string) => String((await json('POST', '/_local/tokens', undefined, { sub, tenantId: TENANT, groups: [group] })).token);
    const admin = await token('admin-1', 'admin');
    const marketer = await token('marketer-1', 'marketer');

    // The cap counts marketing mail per customer; a fresh tenant has sent none, but a cap well above
    // one mail keeps it from being what skips anyone here (skips are the ones seeded below).
    const settings = await send('GET', '/marketing-settings', admin);
    await expectOk(settings, 'GET /marketing-settings');
    await expectOk(
      await fetch(`${apiUrl}/marketing-settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'if-match': settings.headers.get('etag') ?? '"0"' },
        body: JSON.stringify({ frequencyCap: { maxEmails: 100, windowDays: 7 } }),
      }),
      'PUT /marketing-settings',
    );
    const template = await json('POST', '/templates', marketer, {
      name: 'Bench offer',
      subject: 'An offer for {{customer.name}}',
      html: '<p>Hello {{customer.name}},</p><p>this month only: 10% off.</p>',
      text: 'Hello {{customer.name}}, this month only: 10% off.',
    });
    const segment = await json('POST', '/segments', marketer, { name: 'Bench campaign', definition: { tags: { any: [TAG] } } });

    // Two customers go through POST /customers: one eligible, one opted out. Their stored items are
    // the reference the seeded ones are checked against (same key and index attributes).
    const viaApi = [
      await json('POST', '/customers', admin, { name: 'Api Eligible', emails: ['api-eligible@bench.example'], tags: [TAG], consent: { marketing: true } }),
      await json('POST', '/customers', admin, { name: 'Api Opted-out', emails: ['api-optout@bench.example'], tags: [TAG], consent: { marketing: false } }),
    ];

    // Seeded customers, in order: opted out, never asked, suppressed, no address, then eligible.
    const seeded = audience - viaApi.length;
    const bounds = [SKIPS.optedOut - 1, SKIPS.neverAsked, SKIPS.suppressed, SKIPS.noAddress].reduce<number[]>((acc, n) => [...acc, (acc.at(-1) ?? 0) + n], []);
    const kindOf = (i: number) => (i < bounds[0]! ? 'optedOut' : i < bounds[1]! ? 'neverAsked' : i < bounds[2]! ? 'suppressed' : i < bounds[3]! ? 'noAddress' : 'eligible');
    const emailOf = (i: number) => `person${i}@c${i % 97}.bench.example`;
    const now = Date.parse(String((await json('GET', '/_local/clock', undefined)).now));
    const nowIso = new Date(now).toISOString();
    const nextId = monotonicFactory();
    const item = (i: number) => {
      const kind = kindOf(i);
      const id = nextId(now - 3_600_000 + i);
      // The same pure builders POST /customers uses: consent records, defaults, index keys.
      const customer = newCustomer(
        createCustomerInput.parse({
          name: `Person ${String(i).padStart(5, '0')}`,
          ...(kind === 'noAddress' ? {} : { emails: [emailOf(i)] }),
          tags: [TAG],
          ...(kind === 'neverAsked' ? {} : { consent: { marketing: kind !== 'optedOut' } }),
        }),
        { userId: 'admin-1', tenantId: TENANT, groups: ['admin'] },
        id,
        nowIso,
      );
      return { ...keys.customer(TENANT, id), entity: 'Customer', ...customer, ...profileIndexKeys(customer) };
    };

    ctx.log(`seeding ${seeded} customers (${skipped - 1} of them to be skipped) with BatchWriteItem into DynamoDB Local`);
    const dynamo = new DynamoDBClient({ endpoint: dynamoDbEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    closeDynamo = () => dynamo.destroy();
    const batches = Math.ceil(seeded / 25);
    let nextBatch = 0;
    const seedStart = performance.now();
    const seededRun = await runClosedLoop(
      async () => {
        const b = nextBatch++;
        let requests: WriteRequest[] = Array.from({ length: Math.min(25, seeded - b * 25) }, (_, k) => ({
          PutRequest: { Item: marshall(item(b * 25 + k), { removeUndefinedValues: true }) },
        }));
        while (requests.length) {
          const result = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
          requests = result.UnprocessedItems?.[tableName] ?? [];
        }
      },
      { concurrency: 8, maxOps: batches },
    );
    if (seededRun.errors) throw new Error(`seeding failed: ${seededRun.firstError}`);
    const seedMs = performance.now() - seedStart;

    // A seeded profile must carry the keys POST /customers writes, or the segment (GSI4) would miss it.
    const keyNames = async (id: string) => {
      const got = await dynamo.send(new GetItemCommand({ TableName: tableName, Key: marshall(keys.customer(TENANT, id)) }));
      return Object.keys(got.Item ?? {}).filter((k) => /^(PK|SK|GSI\d+(PK|SK)|entity)$/.test(k)).sort().join(',');
    };
    const apiKeys = await keyNames(String(viaApi[0]!.id));
    const seededKeys = Object.keys(item(seeded - 1)).filter((k) => /^(PK|SK|GSI\d+(PK|SK)|entity)$/.test(k)).sort().join(',');
    if (apiKeys !== seededKeys) throw new Error(`seeded profiles carry keys [${seededKeys}], POST /customers writes [${apiKeys}]`);

    for (let i = bounds[1]!; i < bounds[2]!; i++) await json('POST', '/suppressions', marketer, { email: emailOf(i) });
    ctx.log(`seeded in ${(seedMs / 1000).toFixed(1)} s (${Math.round(seeded / (seedMs / 1000))} items/s); settling`);
    // The stream carries every seeded item; let that finish so it does not share the send's CPU.
    await json('POST', '/_local/settle', undefined);

    const created = await json('POST', '/campaigns', marketer, { name: 'Bench campaign', templateId: template.id, segmentId: segment.id, topic: 'marketing', ratePerSecond: RATE_PER_SECOND });
    const campaignId = String(created.id);
    await json('DELETE', '/_local/ses/calls', undefined);

    ctx.log(`sending campaign ${campaignId} to ${audience} customers (${eligible} eligible) at ${RATE_PER_SECOND}/s`);
    const timeoutMs = Math.max(MIN_TIMEOUT_MS, (10 * eligible * 1000) / RATE_PER_SECOND);
    const sendStart = performance.now();
    // The runtime's clock is this machine's wall clock (its offset moves only by POST /_local/clock,
    // which this benchmark never calls), so completedAt minus this is the time /send to sent.
    const sendStartEpochMs = Date.now();
    await json('POST', `/campaigns/${campaignId}/send`, marketer);
    let view: CampaignView;
    for (let lastLog = sendStart; ; ) {
      view = (await json('GET', `/campaigns/${campaignId}`, marketer)) as unknown as CampaignView;
      if (view.status === 'sent') break;
      if (view.status !== 'sending') throw new Error(`campaign ended ${view.status}${view.failure ? `: ${view.failure}` : ''}; stats ${JSON.stringify(view.stats)}`);
      if (performance.now() - sendStart > timeoutMs) throw new Error(`campaign still sending after ${Math.round(timeoutMs / 1000)} s; stats ${JSON.stringify(view.stats)}`);
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        ctx.log(`  ${Math.round((lastLog - sendStart) / 1000)} s: sent ${view.stats.sent}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const wallMs = Date.parse(view.completedAt!) - sendStartEpochMs;
    const ses = (await json('GET', '/_local/ses/calls', undefined)) as unknown as SesCalls;
    const runId = `${campaignId}-r1`;
    const executions = ((await json('GET', '/_local/executions', undefined)) as unknown as { executions: Execution[] }).executions
      .filter((e) => e.flow === 'campaign' && (e.name === runId || e.name.startsWith(`${runId}-p`)))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    const maxHistory = Math.max(0, ...executions.map((e) => e.historyEvents));
    const totalHistory = executions.reduce((sum, e) => sum + e.historyEvents, 0);
    // The first execution planned a full budget (or every batch) and also froze the audience: its
    // events per batch, times 1,000, bound an execution at the AWS default budget from above (its
    // fixed steps are spread over fewer batches here).
    const eventsPerBatch = (executions[0]?.historyEvents ?? 0) / Math.max(1, Math.min(budget, ses.summary.sendBulkEmail));
    const atAwsDefault = Math.round(eventsPerBatch * AWS_DEFAULT_BATCHES_PER_EXECUTION);
    const executionsMet = executions.length === expectedExecutions && executions.every((e) => e.status === 'SUCCEEDED' && e.historyEvents < HISTORY_LIMIT);

    // What the rate limiter reserved per second (its campaign counters outlive the run by a day):
    // where SES saw more than was reserved for a second, a send reserved for an earlier second
    // arrived late, and the calls arriving in that second show by how much.
    const reserved = new Map<number, number>();
    const ratePartition = keys.campaignSendRate(TENANT, campaignId, 0).PK;
    for await (const page of paginateQuery(
      { client: dynamo },
      { TableName: tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)', ExpressionAttributeValues: marshall({ ':pk': ratePartition, ':sk': '$RATE#' }), ConsistentRead: true },
    )) {
      for (const raw of page.Items ?? []) {
        const counter = unmarshall(raw) as { SK: string; sends?: number };
        if (counter.sends) reserved.set(Number(counter.SK.slice('$RATE#'.length)), counter.sends);
      }
    }
    const stats = view.stats;
    const bulk = ses.calls.filter((c) => c.operation === 'SendBulkEmail' && c.outcome === 'accepted');
    const sizes = bulk.map((c) => c.destinations);
    const perSecond = ses.summary.recipientsPerSecond;
    const maxPerSecond = ses.summary.maxRecipientsPerSecond;
    const maxReserved = Math.max(0, ...reserved.values());
    const first = perSecond[0]?.second ?? 0;
    ctx.log(`recipients per second at SES (+second:recipients, reservation when it differs): ${perSecond.map((p) => `+${p.second - first}:${p.recipients}${reserved.get(p.second) === p.recipients ? '' : `(${reserved.get(p.second) ?? 0})`}`).join(' ')}`);
    // Seconds in which SES received more than the limiter reserved for them, with each call that
    // arrived in them (milliseconds into the second); a late send is most likely the first of them.
    const overReserved = perSecond
      .filter((p) => p.recipients > (reserved.get(p.second) ?? 0))
      .map((p) => ({
        second: p.second - first,
        received: p.recipients,
        reserved: reserved.get(p.second) ?? 0,
        reservedBefore: reserved.get(p.second - 1) ?? 0,
        receivedBefore: perSecond.find((q) => q.second === p.second - 1)?.recipients ?? 0,
        arrivalsMs: bulk.filter((c) => Math.floor(c.at / 1000) === p.second).map((c) => `${c.at % 1000}ms:${c.recipients}`),
      }));
    // The send window as SES saw it: first to last arrival, in whole seconds.
    const sendSeconds = perSecond.length ? perSecond.at(-1)!.second - first + 1 : 0;
    const secondsAtRate = perSecond.filter((p) => p.recipients === RATE_PER_SECOND).length;
    const phaseMs = (from: string | null, to: string | null) => (from && to ? Date.parse(to) - Date.parse(from) : NaN);
    const freezeMs = phaseMs(view.startedAt, view.frozenAt);
    const sendPhaseMs = phaseMs(view.frozenAt, view.completedAt);
    const perSec = (stats.sent ?? 0) / (wallMs / 1000);
    const expectedStats = { audience, sent: eligible, failed: 0, noConsent: SKIPS.optedOut + SKIPS.neverAsked, suppressed: SKIPS.suppressed, noAddress: SKIPS.noAddress, capped: 0, overBudget: 0 };
    const statsMismatch = Object.entries(expectedStats).filter(([k, v]) => stats[k] !== v).map(([k, v]) => `${k} ${stats[k]} (expected ${v})`);
    const callsMet = ses.summary.sendBulkEmail === expectedCalls && ses.dropped === 0;

    return {
      figures: {
        audience,
        eligible,
        skippedSeeded: SKIPS,
        ratePerSecond: RATE_PER_SECOND,
        stats,
        batchesPerExecution: budget,
        executions: executions.map((e) => ({ name: e.name, status: e.status, historyEvents: e.historyEvents })),
        history: { max: maxHistory, total: totalHistory, eventsPerBatch: round(eventsPerBatch, 2), atAwsDefaultBudget: atAwsDefault, limit: HISTORY_LIMIT },
        duplicates: ses.addresses,
        seed: { items: seeded, ms: Math.round(seedMs), itemsPerSec: Math.round(seeded / (seedMs / 1000)) },
        wallMs: Math.round(wallMs),
        recipientsPerSec: round(perSec, 1),
        phases: { freezeMs, sendMs: sendPhaseMs, startedAt: view.startedAt, frozenAt: view.frozenAt, completedAt: view.completedAt },
        ses: {
          sendBulkEmail: ses.summary.sendBulkEmail,
          expectedSendBulkEmail: expectedCalls,
          sendEmail: ses.summary.sendEmail,
          throttled: ses.summary.throttled,
          failed: ses.summary.failed,
          dropped: ses.dropped,
          recipients: ses.summary.recipients,
          destinationsPerCall: { min: Math.min(...sizes), max: Math.max(...sizes), partial: sizes.filter((s) => s < SES_BULK_MAX_DESTINATIONS).length },
          maxRecipientsPerSecond: maxPerSecond,
          sendWindowSeconds: sendSeconds,
          secondsWithMail: perSecond.length,
          secondsAtRate,
          recipientsPerSecond: perSecond,
        },
        limiter: {
          maxReservedPerSecond: maxReserved,
          reservedPerSecond: [...reserved].sort(([a], [b]) => a - b).map(([second, sends]) => ({ second, sends })),
          secondsReceivingMoreThanReserved: overReserved,
        },
      },
      tables: [
        {
          title: `One campaign to ${audience.toLocaleString('en-US')} customers (${eligible.toLocaleString('en-US')} eligible), ratePerSecond ${RATE_PER_SECOND}`,
          columns: ['Figure', 'Value'],
          rows: [
            ['audience / eligible (seeded)', `${audience} / ${eligible}`],
            ['sent / failed', `${stats.sent} / ${stats.failed}`],
            ['skipped: no consent / suppressed / no address / capped / over budget', `${stats.noConsent} / ${stats.suppressed} / ${stats.noAddress} / ${stats.capped} / ${stats.overBudget}`],
            ['wall time, /send to status sent (s)', fmt(wallMs / 1000, 1)],
            ['  of which freezing the audience (s)', fmt(freezeMs / 1000, 1)],
            ['  of which sending, frozen to sent (s)', fmt(sendPhaseMs / 1000, 1)],
            ['recipients per second (sent ÷ wall time)', fmt(perSec, 1)],
            ['SendBulkEmail calls / ceil(eligible ÷ 50)', `${ses.summary.sendBulkEmail} / ${expectedCalls}`],
            ['destinations per call (min-max; calls under 50)', `${Math.min(...sizes)}-${Math.max(...sizes)}; ${sizes.filter((s) => s < SES_BULK_MAX_DESTINATIONS).length}`],
            ['recipients SES accepted', String(ses.summary.recipients)],
            ['most recipients in one second / configured rate', `${maxPerSecond} / ${RATE_PER_SECOND}`],
            ['most recipients the limiter reserved for one second', String(maxReserved)],
            ['seconds in which SES received more than was reserved for them', String(overReserved.length)],
            ['send window at SES, first to last call (s) / seconds with mail / at the full rate', `${sendSeconds} / ${perSecond.length} / ${secondsAtRate}`],
            ['throttled / failed SES calls', `${ses.summary.throttled} / ${ses.summary.failed}`],
            ['addresses mailed / mailed more than once', `${ses.addresses.distinct} / ${ses.addresses.mailedMoreThanOnce}`],
            ['executions of the run (batches per execution)', `${executions.length} (${budget})`],
            ['history events per execution (max; limit 25,000)', `${executions.map((e) => e.historyEvents).join(', ')} (${maxHistory})`],
            ['history events per batch in the first execution; an execution at the AWS default of 1,000 batches (at most)', `${fmt(eventsPerBatch, 2)}; ${atAwsDefault}`],
            ['seeding (BatchWriteItem, items/s)', String(Math.round(seeded / (seedMs / 1000)))],
          ],
        },
      ],
      reach: [
        { subject: 'campaign: SendBulkEmail calls = ceil(eligible / 50)', target: String(expectedCalls), actual: `${ses.summary.sendBulkEmail}${ses.dropped ? ` (+${ses.dropped} dropped from the log)` : ''}`, met: callsMet },
        { subject: 'campaign: most recipients SES received in one second', target: `<= ${RATE_PER_SECOND} (ratePerSecond)`, actual: String(maxPerSecond), met: maxPerSecond <= RATE_PER_SECOND },
        { subject: 'campaign: throttled SES calls', target: '0', actual: String(ses.summary.throttled), met: ses.summary.throttled === 0 },
        {
          subject: 'campaign: addresses mailed more than once',
          target: '0',
          actual: `${ses.addresses.mailedMoreThanOnce} (of ${ses.addresses.distinct} addresses)`,
          met: ses.addresses.mailedMoreThanOnce === 0 && ses.addresses.distinct === eligible,
        },
        {
          subject: `campaign: executions of ${budget} batches, each under the history limit`,
          target: `${expectedExecutions} executions, each < ${HISTORY_LIMIT} events`,
          actual: `${executions.length} executions (${executions.map((e) => e.status).join(', ')}), most ${maxHistory} events`,
          met: executionsMet,
        },
        {
          subject: 'campaign: an execution at the AWS default budget (1,000 batches), estimated',
          target: `< ${HISTORY_LIMIT} events`,
          actual: `${atAwsDefault} (${fmt(eventsPerBatch, 2)} per batch)`,
          met: atAwsDefault < HISTORY_LIMIT,
        },
        {
          subject: 'campaign: every eligible customer mailed once, the others skipped',
          target: `sent ${eligible}, SES recipients ${eligible}, skips as seeded`,
          actual: statsMismatch.length || ses.summary.recipients !== eligible ? `${statsMismatch.join(', ') || 'stats as expected'}; SES recipients ${ses.summary.recipients}` : `sent ${stats.sent}, SES recipients ${ses.summary.recipients}`,
          met: statsMismatch.length === 0 && ses.summary.recipients === eligible,
        },
      ],
      notes: [
        `${seeded.toLocaleString('en-US')} customers written straight into DynamoDB Local with the builders POST /customers uses (\`newCustomer\`, \`profileIndexKeys\`: consent records, the tenant list on GSI4 the segment reads), checked against ${viaApi.length} created through the API; no uniqueness guards or outbox items (the campaign reads neither). Skipped on purpose: ${SKIPS.optedOut} opted out, ${SKIPS.neverAsked} never asked, ${SKIPS.suppressed} suppressed through POST /suppressions, ${SKIPS.noAddress} without an address; frequency cap 100 per 7 days so it skips nobody.`,
        `ratePerSecond ${RATE_PER_SECOND}: at least 50 so every call can carry 50 destinations, below the 200 recipients the flow can have in flight at once (Map concurrency 4 × 50), so the rate limiter must hold batches back; ${eligible.toLocaleString('en-US')} eligible need ${Math.round(eligible / RATE_PER_SECOND)} s at that rate. Per-second figures are the SES stand-in's: recipients SES accepted, bucketed by the wall-clock second each call arrived at its proxy. Recipients per second is end to end: sent ÷ the time from calling /send to the campaign\'s completedAt (freezing included).`,
        `History: the local flow runner estimates for each execution the events AWS would write (docs/local-runtime.md, GET /_local/executions). The run is given ${budget} batches per execution (\`--context campaignBatchesPerExecution=${budget}\`) so that it hands over ${Math.max(0, executions.length - 1)} time(s); the first execution's events per batch, times 1,000, bound an execution at the AWS default budget from above (its fixed steps, the audience freeze among them, are spread over fewer batches).`,
        'Client, runtime (Lambdas, Step Functions, SES stand-in) and DynamoDB Local share the machine: recipients per second is this machine\'s, the call count and the rate ceiling are not.',
        ...(overReserved.length
          ? [
              `In ${overReserved.length} second(s) SES received more recipients than the rate limiter had reserved for them (most reserved for any second: ${maxReserved}): ${overReserved
                .map((o) => `+${o.second} s: received ${o.received}, reserved ${o.reserved} (second before: received ${o.receivedBefore}, reserved ${o.reservedBefore}; arrivals ${o.arrivalsMs.join(', ')})`)
                .join('; ')}. A send reserved for one second reached SES in the next.`,
            ]
          : []),
      ],
    };
  } finally {
    closeDynamo();
    await runtime.stop();
  }
}
