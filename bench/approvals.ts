import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StartedProcess } from '../events/processes/process-started.v1';
import type { Caller } from '../shared/access/caller';
import { finishApprovalProcess, openApprovalStep, type ApprovalFlowDeps, type FlowState } from '../shared/approvals/approval-flow-use-cases';
import { approvalId, newProcess, type ProcessStep } from '../shared/approvals/approval-process';
import { ApprovalRepository } from '../shared/approvals/approval-repository';
import { type ApprovalDeps, decideApproval } from '../shared/approvals/approval-use-cases';
import { DomainError } from '../shared/errors';
import { newId } from '../shared/ids';
import { keys } from '../shared/keys';
import { currencyDecimals } from '../shared/quotes/money';
import { QuoteRepository } from '../shared/quotes/quote-repository';
import { quoteSubjects } from '../shared/quotes/quote-subject';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, pool, round } from './benchmark';
import { startRuntime } from './local-stack';

export const approvalsBenchmark: Benchmark = {
  name: 'approvals',
  title: 'Approvals: quotes through a two-step chain, decisions raced',
  run: runApprovals,
};

const QUOTES = 1000;
/** Deciders at work at once (as many concurrent Lambda invocations). */
const CONCURRENCY = 20;
const APPROVERS = ['manager-1', 'director-1'] as const;

/** A document client that counts the requests it sends: the use cases' own, not the stream consumers' at the table. */
function countingClient(endpoint: string) {
  const base = new DynamoDBClient({ endpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const db = DynamoDBDocumentClient.from(base);
  const counter = { requests: 0 };
  db.middlewareStack.add((next) => async (args) => ((counter.requests += 1), next(args)), { step: 'initialize', name: 'countRequests' });
  return { db, counter };
}


/**
 * Issue 16's approval figure: every process walks a two-step chain (manager, then director), run
 * by the approval flow's own tasks (OpenStep, Finish) and decided through the decision use case,
 * against DynamoDB Local. Each approval is decided by two racing clicks. Counted at the use cases'
 * client: the requests each decision costs, with what it causes in the flow (the next step's
 * opening, or the end); checked: every quote approved once, every step decided once.
 */
async function runApprovals(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const runtime = await startRuntime(ctx.rootDir, [], []);
  try {
    const { dynamoDbEndpoint, tableName } = runtime.stack;
    const { db, counter } = countingClient(dynamoDbEndpoint);
    const approvals = new ApprovalRepository(db, tableName);
    const subjects = quoteSubjects(new QuoteRepository(db, tableName));
    const deps: ApprovalDeps = { approvals, subjects, currencyDecimals };
    const flowDeps: ApprovalFlowDeps = { approvals, subjects, answer: async () => true };
    const tenant = `benchapr${newId().slice(-8).toLowerCase()}`;
    const quotes = ctx.quick ? 100 : QUOTES;
    const customerId = newId();
    const now = new Date().toISOString();

    ctx.log(`preparing ${quotes} quotes under approval`);
    const steps: ProcessStep[] = APPROVERS.map((id, i) => ({ name: `Step ${i + 1}`, mode: 'any', approverIds: [id], timeLimitHours: null, status: 'waiting', openedAt: null, closedAt: null }));
    const started: StartedProcess[] = [];
    await pool(Array.from({ length: quotes }, (_, i) => i), CONCURRENCY, async (i) => {
      const quoteId = newId();
      // The quote as submit leaves it; only its status and version matter to the process.
      await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.quote(tenant, customerId, quoteId), ...keys.quoteById(tenant, quoteId), entity: 'Quote', tenantId: tenant, id: quoteId, number: `Q-B-${i}`, status: 'pending-approval', version: 2, updatedAt: now } }));
      const process = newProcess({ id: newId(), kind: 'quote-discount', customerId, requesterId: 'rep-1', rule: 'bench', steps, startedAt: now, subject: { type: 'quote', id: quoteId, version: 2, summary: `Quote Q-B-${i}` } });
      await approvals.commit([approvals.processItem(tenant, process)]);
      const data: StartedProcess = { processId: process.id, kind: process.kind, customerId, subject: process.subject, requesterId: 'rep-1', rule: 'bench', steps: steps.map(({ name, mode, approverIds, timeLimitHours }) => ({ name, mode, approverIds, timeLimitHours })), stepCount: 2 };
      started.push(data);
    });
    const state = (p: StartedProcess): FlowState => ({ tenantId: tenant, correlationId: `bench-${p.processId}`, process: p });
    // Step 1 opens on submit, before any decision: not counted as a decision's cost.
    await pool(started, CONCURRENCY, async (p) => {
      await openApprovalStep(flowDeps, { ...state(p), step: 0, taskToken: `token-${p.processId}-0` });
    });

    const outcome = { won: 0, refused: 0, unexpected: [] as string[] };
    const decideRacing = async (p: StartedProcess, step: number) => {
      const caller: Caller = { userId: APPROVERS[step]!, tenantId: tenant, groups: ['manager'] };
      const id = approvalId(p.processId, step, 0);
      const results = await Promise.allSettled([0, 1].map(() => decideApproval(deps, caller, id, 'approved', null, `bench-${p.processId}`)));
      for (const r of results) {
        if (r.status === 'fulfilled') outcome.won += 1;
        else if (r.reason instanceof DomainError && r.reason.kind === 'conflict') outcome.refused += 1;
        else outcome.unexpected.push(String(r.reason));
      }
    };

    ctx.log(`deciding ${quotes * 2} approvals, two racing clicks each, ${CONCURRENCY} at a time`);
    counter.requests = 0;
    const started1 = performance.now();
    await pool(started, CONCURRENCY, async (p) => {
      await decideRacing(p, 0);
      await openApprovalStep(flowDeps, { ...state(p), step: 1, taskToken: `token-${p.processId}-1` });
      await decideRacing(p, 1);
      await finishApprovalProcess(flowDeps, { ...state(p), outcome: 'approved' });
    });
    const seconds = (performance.now() - started1) / 1000;
    const racedRequests = counter.requests;

    ctx.log('counting one uncontended decision path per process on a fresh tenant sample');
    const sample = started.slice(0, Math.min(100, started.length));
    // The same walk without racing clicks, on new processes of the same shape: the cost of a decision.
    const fresh: StartedProcess[] = [];
    for (const p of sample) {
      const quoteId = newId();
      await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.quote(tenant, customerId, quoteId), ...keys.quoteById(tenant, quoteId), entity: 'Quote', tenantId: tenant, id: quoteId, status: 'pending-approval', version: 2, updatedAt: now } }));
      const process = newProcess({ id: newId(), kind: 'quote-discount', customerId, requesterId: 'rep-1', rule: 'bench', steps, startedAt: now, subject: { type: 'quote', id: quoteId, version: 2, summary: 'Quote' } });
      await approvals.commit([approvals.processItem(tenant, process)]);
      const data = { ...p, processId: process.id, subject: process.subject };
      await openApprovalStep(flowDeps, { ...state(data), step: 0, taskToken: 't0' });
      fresh.push(data);
    }
    counter.requests = 0;
    const perPart = { decide: 0, openNext: 0, finish: 0 };
    for (const p of fresh) {
      const measure = async (part: keyof typeof perPart, act: () => Promise<unknown>) => {
        const before = counter.requests;
        await act();
        perPart[part] += counter.requests - before;
      };
      const caller = (step: number): Caller => ({ userId: APPROVERS[step]!, tenantId: tenant, groups: ['manager'] });
      await measure('decide', () => decideApproval(deps, caller(0), approvalId(p.processId, 0, 0), 'approved', null, 'bench'));
      await measure('openNext', () => openApprovalStep(flowDeps, { ...state(p), step: 1, taskToken: 't1' }));
      await measure('decide', () => decideApproval(deps, caller(1), approvalId(p.processId, 1, 0), 'approved', null, 'bench'));
      await measure('finish', () => finishApprovalProcess(flowDeps, { ...state(p), outcome: 'approved' }));
    }
    const decisions = fresh.length * 2;
    const perDecision = (perPart.decide + perPart.openNext + perPart.finish) / decisions;

    ctx.log('checking every process and quote');
    let approvedProcesses = 0;
    let doubled = 0;
    for (const p of started) {
      const loaded = await approvals.load(tenant, p.processId);
      const decided = loaded?.process.history.filter((h) => h.type === 'approved').length ?? 0;
      if (loaded?.process.status === 'approved' && decided === 2) approvedProcesses += 1;
      if (decided > 2) doubled += 1;
    }
    const quoteRepo = new QuoteRepository(db, tableName);
    let approvedQuotes = 0;
    await pool(started, CONCURRENCY, async (p) => {
      if ((await quoteRepo.get(tenant, p.subject.id))?.status === 'approved') approvedQuotes += 1;
    });
    const lost = quotes - approvedProcesses;

    return {
      figures: { quotes, decisions: quotes * 2, clicks: quotes * 4, won: outcome.won, refused: outcome.refused, unexpected: outcome.unexpected.slice(0, 5), seconds: round(seconds, 1), decisionsPerSecond: round((quotes * 2) / seconds, 1), racedRequestsPerDecision: round(racedRequests / (quotes * 2), 2), perPart, perDecision: round(perDecision, 2), approvedProcesses, approvedQuotes, lost, doubled },
      tables: [
        {
          title: `${quotes} quotes through a two-step chain (manager, then director), each approval clicked twice at once, ${CONCURRENCY} deciders`,
          columns: ['Figure', 'Value'],
          rows: [
            ['decisions won / clicks refused (409)', `${outcome.won} / ${outcome.refused}`],
            ['processes approved with exactly 2 decisions', `${approvedProcesses} of ${quotes}`],
            ['quotes approved', `${approvedQuotes} of ${quotes}`],
            ['lost / doubled decisions', `${lost} / ${doubled}`],
            ['decisions per second (both clicks, the flow tasks)', fmt(round((quotes * 2) / seconds, 1))],
            ['DynamoDB requests per decision, racing (the losing click included)', fmt(round(racedRequests / (quotes * 2), 2))],
          ],
        },
        {
          title: `DynamoDB requests per decision, uncontended (${fresh.length} processes, counted at the use cases' client)`,
          columns: ['Part', 'Requests', 'Per decision'],
          rows: [
            ['the decision (Query of the process collection, one transaction)', String(perPart.decide), fmt(round(perPart.decide / decisions, 2))],
            ['the next step opened by the flow (one transaction, no read)', String(perPart.openNext), fmt(round(perPart.openNext / decisions, 2))],
            ['the end: process and quote in one transaction', String(perPart.finish), fmt(round(perPart.finish / decisions, 2))],
            ['total', String(perPart.decide + perPart.openNext + perPart.finish), fmt(round(perDecision, 2))],
          ],
        },
      ],
      reach: [
        { subject: 'DynamoDB requests per decision (with the flow work it causes)', target: '≤ 3', actual: fmt(round(perDecision, 2)), met: perDecision <= 3 },
        { subject: 'lost or doubled decisions', target: '0', actual: String(lost + doubled + outcome.unexpected.length), met: lost + doubled + outcome.unexpected.length === 0 && outcome.won === quotes * 2 },
      ],
      notes: [
        'The flow tasks run in the benchmark process as the approval flow runs them (OpenStep, Finish); the task tokens are not answered (nothing waits on them here). ' +
          'The end-to-end path through the Step Functions flow is covered by test/integration/quotes/quotes-approvals.test.ts.',
        'Racing clicks cost the loser a second read of the process collection (it reads again and finds the approval decided): the racing figure shows that price.',
      ],
    };
  } finally {
    await runtime.stop();
  }
}
