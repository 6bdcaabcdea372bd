import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt } from './benchmark';
import { apiClient, startRuntime } from './local-stack';
import type { InboundOutcome, ReceivedMail } from '../shared/cases/inbound-use-case';

const TENANT = 'benchinbound';
const MESSAGES = 1000;
const INBOUND = `${TENANT}@inbound.example.com`;
const TARGET_REQUESTS = 4;

type Counts = Record<string, number>;
type Kind = 'new, unknown sender' | 'new, known sender' | 'reply by reference' | 'reply by subject token';

export const inboundMailBenchmark: Benchmark = {
  name: 'inbound-mail',
  title: 'Inbound mail: messages threaded onto cases, DynamoDB requests per message',
  run: runInboundMail,
};

function rawMail(from: string, subject: string, text: string, messageId: string, references?: string): string {
  return [
    `From: ${from}`,
    `To: ${INBOUND}`,
    `Subject: ${subject}`,
    'Date: Mon, 07 Dec 2026 09:00:00 +0000',
    `Message-ID: ${messageId}`,
    ...(references ? [`In-Reply-To: ${references}`, `References: ${references}`] : []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
  ].join('\r\n');
}

/**
 * The inbound handler's use case in this process, wired as in Lambda (shared/cases/inbound-wiring.ts)
 * but against the runtime's DynamoDB Local, with a middleware on the one DynamoDB client that counts
 * each command it sends: what one message costs, without the stream consumers its events start
 * (which the runtime runs at the same time and a count at the table would include).
 */
async function inProcessReceiver(endpoint: string, tableName: string) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: 'local-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: tableName,
    MAIL_FROM: 'no-reply@example.com',
    INBOUND_MAIL_DOMAIN: 'inbound.example.com',
    INBOUND_MAIL_BUCKET: 'not-read-here',
    USER_POOL_ID: 'not-used-here',
  });
  const { dynamoDb } = await import('../shared/aws/dynamodb');
  let counts: Counts = {};
  dynamoDb.middlewareStack.add(
    (next, context) => async (args) => {
      const op = (context.commandName ?? 'unknown').replace(/Command$/, '');
      counts[op] = (counts[op] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCountRequests' },
  );
  const { inboundDeps } = await import('../shared/cases/inbound-wiring');
  const { receiveInboundMail } = await import('../shared/cases/inbound-use-case');
  return async (mail: ReceivedMail): Promise<{ outcome: InboundOutcome; counts: Counts }> => {
    counts = {};
    const outcome = await receiveInboundMail(inboundDeps, mail, 'bench');
    return { outcome, counts };
  };
}

/**
 * MESSAGES mails through the inbound use case, one at a time so each one's DynamoDB requests are
 * counted alone: two thirds open cases (half from senders the CRM knows), a third answer an
 * earlier case (by our References id, or by the subject token from the requester). Every answer
 * must land on the case it answers. The handler around it adds one S3 GetObject (the raw message).
 */
export async function runInboundMail(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const total = ctx.quick ? 150 : MESSAGES;
  const runtime = await startRuntime(ctx.rootDir, []);
  const samples: { kind: Kind; requests: number; counts: Counts; ms: number }[] = [];
  let threaded = 0;
  let replies = 0;
  try {
    const { apiUrl, dynamoDbEndpoint, tableName } = runtime.stack;
    const { json } = apiClient(apiUrl);
    const admin = String((await json('POST', '/_local/tokens', undefined, { sub: 'admin-1', tenantId: TENANT, groups: ['admin'] })).token);
    await json('PUT', '/users/agent-1', admin, { email: 'agent-1@example.com', name: 'Bench Agent' });
    const receive = await inProcessReceiver(dynamoDbEndpoint, tableName);
    const cases: { caseId: string; from: string }[] = [];
    const known: string[] = [];
    // The first mail warms the tenant check and the SLA policy cache, as in any container that received mail before.
    await receive({ raw: rawMail('warm@bench.example', 'Warm-up', 'warm', '<warm@bench.example>'), recipients: [INBOUND] });

    for (let i = 0; i < total; i++) {
      const reply = i % 3 === 2 && cases.length > 0;
      let kind: Kind;
      let raw: string;
      let expected: string | undefined;
      if (reply) {
        const target = cases[(i * 7) % cases.length]!;
        expected = target.caseId;
        if (i % 2 === 0) {
          kind = 'reply by reference';
          raw = rawMail(target.from, 'Re: your case', `Answer ${i}`, `<m${i}@bench.example>`, `<case.${target.caseId}.01JD5X8Q2V3M4N5P6R7S8T9VWX@example.com>`);
        } else {
          kind = 'reply by subject token';
          raw = rawMail(target.from, `Re: your case [case ${target.caseId}]`, `Answer ${i}`, `<m${i}@bench.example>`);
        }
      } else {
        const repeat = i % 2 === 1 && known.length > 0;
        kind = repeat ? 'new, known sender' : 'new, unknown sender';
        const from = repeat ? known[i % known.length]! : `sender-${i}@bench.example`;
        raw = rawMail(from, `Request ${i}`, `Please help with ${i}.`, `<m${i}@bench.example>`);
      }
      const began = performance.now();
      const { outcome, counts } = await receive({ raw, recipients: [INBOUND] });
      const ms = performance.now() - began;
      samples.push({ kind, requests: Object.values(counts).reduce((s, n) => s + n, 0), counts, ms });
      if (reply) {
        replies++;
        if (outcome.outcome === 'attached' && outcome.caseId === expected) threaded++;
      } else {
        if (outcome.outcome !== 'opened') throw new Error(`message ${i}: expected a new case, got ${JSON.stringify(outcome)}`);
        const from = /^From: (.+)$/m.exec(raw)![1]!;
        cases.push({ caseId: outcome.caseId, from });
        if (kind === 'new, unknown sender') known.push(from);
      }
    }
  } finally {
    await runtime.stop();
  }

  const kinds: Kind[] = ['new, unknown sender', 'new, known sender', 'reply by reference', 'reply by subject token'];
  const max = Math.max(...samples.map((s) => s.requests));
  const ops = (list: typeof samples) => {
    const sum: Record<string, number> = {};
    for (const s of list) for (const [op, n] of Object.entries(s.counts)) sum[op] = (sum[op] ?? 0) + n;
    return Object.entries(sum).map(([op, n]) => `${op} ${fmt(n / list.length, 1)}`).join(', ');
  };
  ctx.log(`${samples.length} messages, ${threaded}/${replies} replies threaded, at most ${max} DynamoDB requests per message`);
  return {
    figures: { messages: samples.length, replies, threaded, maxRequests: max, byKind: Object.fromEntries(kinds.map((k) => [k, samples.filter((s) => s.kind === k).length])) },
    tables: [
      {
        title: `DynamoDB requests per received message (${samples.length} messages through the inbound use case, one at a time, counted at its DynamoDB client)`,
        columns: ['message', 'count', 'requests (max)', 'requests (mean)', 'by operation (mean)', 'ms (median, in process)'],
        rows: kinds.map((kind) => {
          const mine = samples.filter((s) => s.kind === kind);
          const sorted = mine.map((s) => s.ms).sort((a, b) => a - b);
          return [kind, String(mine.length), String(Math.max(...mine.map((s) => s.requests))), fmt(mine.reduce((s, m) => s + m.requests, 0) / mine.length, 2), ops(mine), fmt(sorted[Math.floor(sorted.length / 2)] ?? 0, 0)];
        }),
      },
    ],
    reach: [
      { subject: 'Replies threaded onto the case they answer', target: 'every reply', actual: `${threaded}/${replies}`, met: threaded === replies && replies > 0 },
      { subject: 'DynamoDB requests per message', target: `≤ ${TARGET_REQUESTS}`, actual: `at most ${max}`, met: max <= TARGET_REQUESTS },
    ],
    notes: [
      'A reply reads its case by id (a GSI3 Query, then a consistent GetItem for the version to write over) and writes case, message, events, the "received" marker and the agent load in one transaction; a subject token from someone other than the requester also reads the customer.',
      "A new case reads the email guard and the customer (or creates the customer through POST /customers' own use case, one transaction) and writes case, message, events and marker in one transaction.",
      'Cached per container and not counted here: the tenant check (an hour) and the tenant\'s SLA policies (30 s; one Query when stale). The handler adds one S3 GetObject for the raw message.',
    ],
  };
}
