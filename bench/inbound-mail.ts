import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt } from './benchmark';
import { apiClient, startRuntime } from './local-stack';

const TENANT = 'benchinbound';
const MESSAGES = 1000;
const INBOUND = `${TENANT}@inbound.example.com`;
const TARGET_REQUESTS = 4;

type Counts = Record<string, { requests: number }>;
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
 * MESSAGES mails through the local SES receiving path (receipt rule, S3 stand-in, the handler),
 * one at a time so each one's DynamoDB requests are counted alone: two thirds open cases (half
 * from senders the CRM knows), a third answer an earlier case (by our References id, or by the
 * subject token from the requester). Every answer must land on the case it answers.
 */
export async function runInboundMail(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const total = ctx.quick ? 150 : MESSAGES;
  const runtime = await startRuntime(ctx.rootDir, [], ['--count-requests']);
  const samples: { kind: Kind; requests: number; counts: Counts; ms: number }[] = [];
  let threaded = 0;
  let replies = 0;
  try {
    const { apiUrl } = runtime.stack;
    const { json } = apiClient(apiUrl);
    const admin = String((await json('POST', '/_local/tokens', undefined, { sub: 'admin-1', tenantId: TENANT, groups: ['admin'] })).token);
    await json('PUT', '/users/agent-1', admin, { email: 'agent-1@example.com', name: 'Bench Agent' });
    const cases: { caseId: string; from: string }[] = [];
    const known: string[] = [];
    // The first mail warms the handler's tenant check, as in any container that received mail before.
    await json('POST', '/_local/inbound-email', undefined, { raw: rawMail('warm@bench.example', 'Warm-up', 'warm', '<warm@bench.example>') });

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
      await fetch(`${apiUrl}/_local/dynamodb-requests/reset`, { method: 'POST' });
      const began = performance.now();
      const delivery = (await json('POST', '/_local/inbound-email', undefined, { raw })) as { result: { outcomes: { outcome: string; caseId: string }[] } };
      const ms = performance.now() - began;
      const counts = ((await (await fetch(`${apiUrl}/_local/dynamodb-requests`)).json()) as { operations: Counts }).operations;
      const outcome = delivery.result.outcomes[0]!;
      samples.push({ kind, requests: Object.values(counts).reduce((s, op) => s + op.requests, 0), counts, ms });
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
    for (const s of list) for (const [op, c] of Object.entries(s.counts)) sum[op] = (sum[op] ?? 0) + c.requests;
    return Object.entries(sum).map(([op, n]) => `${op} ${fmt(n / list.length, 1)}`).join(', ');
  };
  ctx.log(`${samples.length} messages, ${threaded}/${replies} replies threaded, at most ${max} DynamoDB requests per message`);
  return {
    figures: { messages: samples.length, replies, threaded, maxRequests: max, byKind: Object.fromEntries(kinds.map((k) => [k, samples.filter((s) => s.kind === k).length])) },
    tables: [
      {
        title: `DynamoDB requests per received message (${samples.length} messages through the receipt rule, the S3 stand-in and the handler, one at a time)`,
        columns: ['message', 'count', 'requests (max)', 'requests (mean)', 'by operation (mean)', 'ms (median, local)'],
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
      'A reply reads its case by id (a GSI3 Query, then a consistent GetItem for the version to write over) and writes case, message, events and the "received" marker in one transaction; a subject token from someone other than the requester also reads the customer.',
      "A new case reads the email guard and the customer (or creates the customer through POST /customers' own use case) and writes case, message, events and marker in one transaction. The tenant check is cached per container.",
    ],
  };
}
