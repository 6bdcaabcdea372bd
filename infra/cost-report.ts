import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CallAssumptions, type CostBreakdown, type IdleAssumptions, type MeasuredOperation, type MixEntry, type StageTemplates, apiCallsCost, idleMonthlyCost } from './cost-model';
import { PRICES_CHECKED } from './cost-prices';

/**
 * The inputs of docs/cost.md: what the benchmarks measured (bench/results/*.json), the mix of a
 * million calls, and every assumption the measurements do not cover, each with its reason. The
 * infra test renders the page's figures from these and the synthesized stages, and fails when
 * docs/cost.md says something else.
 */

export const TARGETS = { devIdleUsd: 0.1, millionCallsUsd: 1.5 } as const;

/** Cold-start module init measured by the cold-start benchmark (median over every function), ms. */
function medianInitMs(root: string): number {
  const result = readJson(root, 'cold-start') as { figures: { functions: { initMs: { median: number } }[] } };
  const medians = result.figures.functions.map((f) => f.initMs.median).sort((a, b) => a - b);
  return Math.round(medians[Math.floor(medians.length / 2)]!);
}

type Requests = Record<string, Record<string, { readCapacityUnits: number; writeCapacityUnits: number }>>;

function units(requests: Requests, label: string): { readUnits: number; writeUnits: number } {
  const operation = requests[label];
  if (!operation) throw new Error(`No measurement "${label}" in bench/results`);
  const all = Object.values(operation);
  return { readUnits: all.reduce((s, r) => s + r.readCapacityUnits, 0), writeUnits: all.reduce((s, r) => s + r.writeCapacityUnits, 0) };
}

const CUSTOMER_EVENT = (type: string) => ({ source: 'crm', 'detail-type': type, detail: { data: { consent: {} } } });

/**
 * The operations of the mix, with the DynamoDB units the benchmarks counted at DynamoDB Local
 * (which include what each causes: the create's daily-stats consumer) and a billed duration:
 * the sequential p50 through the local API where one was measured, else an assumption.
 */
export function measuredOperations(root: string): Record<string, MeasuredOperation> {
  const c360 = (readJson(root, 'customer-360') as { figures: { requests: Requests; latency: { view360: { p50: number } } } }).figures;
  const board = (readJson(root, 'pipeline-board') as { figures: { requests: Requests; latency: { board: { p50: number } } } }).figures;
  const activities = units(c360.requests, 'GET /customers/{id}/activities?limit=25');
  return {
    get: {
      route: 'GET /customers/{id}',
      // The same GetItem of the profile the activities page starts with (its row: GetItem 0.5).
      source: 'customer-360 (the GetItem of the activities row)',
      readUnits: c360.requests['GET /customers/{id}/activities?limit=25']?.GetItem?.readCapacityUnits ?? Number.NaN,
      writeUnits: 0,
      durationMs: 20,
      events: [],
    },
    list: { route: 'GET /customers', source: 'customer-360 (GET /customers?limit=25)', ...units(c360.requests, 'GET /customers?limit=25'), durationMs: 20, events: [] },
    view360: { route: 'GET /customers/{id}/360', source: 'customer-360', ...units(c360.requests, 'GET /customers/{id}/360 (500 activities, 3 contacts)'), durationMs: Math.ceil(c360.latency.view360.p50), events: [] },
    activities: { route: 'GET /customers/{id}/activities', source: 'customer-360', ...activities, durationMs: 20, events: [] },
    board: { route: 'GET /pipelines/{id}/board', source: 'pipeline-board (50,000 deals)', ...units(board.requests, 'board'), durationMs: Math.ceil(board.latency.board.p50), events: [] },
    duplicates: { route: 'POST /customers/check-duplicates', source: 'customer-360', ...units(c360.requests, 'POST /customers/check-duplicates'), durationMs: 20, events: [] },
    update: { route: 'PATCH /customers/{id}', source: 'customer-360', ...units(c360.requests, 'PATCH /customers/{id}'), durationMs: 60, events: [CUSTOMER_EVENT('crm.customer.updated.v1')] },
    create: { route: 'POST /customers', source: 'customer-360 (with its stats consumer)', ...units(c360.requests, 'POST /customers (email, phone, domain; plus the stats consumer)'), durationMs: 60, events: [CUSTOMER_EVENT('crm.customer.created.v1')] },
  };
}

/** A working day of a sales team: mostly reading (lists, records, the 360 view, the board), one call in seven a write. */
export const TYPICAL_MIX: Readonly<Record<string, number>> = { get: 0.25, list: 0.2, view360: 0.15, activities: 0.1, board: 0.1, duplicates: 0.05, update: 0.1, create: 0.05 };

/** Other mixes and settings, to show what the target would take (docs/cost.md, "Why 1M calls miss"). */
export const OTHER_MIXES: readonly { label: string; shares: Readonly<Record<string, number>>; assumptions?: Partial<CallAssumptions> }[] = [
  { label: 'the same reads, no writes', shares: { get: 0.35, list: 0.25, view360: 0.15, activities: 0.1, board: 0.1, duplicates: 0.05 } },
  { label: 'only record reads and list pages', shares: { get: 0.5, list: 0.5 } },
  { label: 'only record reads and list pages, no X-Ray, 200 B of logs per invocation', shares: { get: 0.5, list: 0.5 }, assumptions: { tracedShare: 0, logBytesPerInvocation: 200 } },
];

export function mixOf(ops: Record<string, MeasuredOperation>, shares: Readonly<Record<string, number>>): MixEntry[] {
  return Object.entries(shares).map(([key, s]) => ({ operation: ops[key]!, share: s }));
}

export function idleAssumptions(root: string): IdleAssumptions {
  const initMs = medianInitMs(root);
  const sweep = { durationMs: 50, coldShare: 0, initMs, readUnits: 0, writeUnits: 0 };
  return {
    emptyRuns: {
      // Every minute keeps its environment warm; one Query of the marketing-due index that finds nothing.
      'functions/automations/run-due-marketing.ts': { ...sweep, readUnits: 0.5 },
      // Every 5 minutes, the task reminders: one Query of the reminder index that finds nothing.
      // Lambda keeps an idle environment for minutes, not reliably five: counted cold half the time.
      'functions/tasks/send-task-reminders.ts': { ...sweep, coldShare: 0.5, readUnits: 0.5 },
      // The SLA sweep (SLA policies applied to cases), every 15 minutes on a dev-like stage: cold
      // every run, one Query of the case SLA index that finds nothing. (Every minute on prod: warm.)
      'functions/cases/raise-sla-alerts.ts': { ...sweep, coldShare: 1, readUnits: 0.5 },
      // The approval escalation sweep, every 15 minutes on a dev-like stage and every 5 on prod:
      // cold every run (as the reminders, counted cold even at 5), one Query of the approval due index that finds nothing.
      'functions/approvals/escalate-overdue-approvals.ts': { ...sweep, coldShare: 1, readUnits: 0.5 },
      // The overdue-invoice sweep, daily on a dev-like stage and hourly on prod: cold every run, one Query of the invoice due index that finds nothing.
      'functions/orders/raise-overdue-invoices.ts': { ...sweep, coldShare: 1, readUnits: 0.5 },
      // The webhook retry sweep, every 15 minutes on a dev-like stage and every minute on prod: one Query of the webhook due index that finds nothing.
      'functions/webhooks/retry-webhook-deliveries.ts': { ...sweep, coldShare: 1, readUnits: 0.5 },
      // The contract renewal sweep, the same shape: daily on a dev-like stage, hourly on prod, one empty Query of the renewal index.
      'functions/contracts/raise-contract-renewals.ts': { ...sweep, coldShare: 1, readUnits: 0.5 },
      // Every 15 minutes: environments are gone by then, so every run starts cold.
      'functions/allocation/find-due-customers.ts': { ...sweep, coldShare: 1, readUnits: 8 * 0.5 },
      'functions/allocation/send-reclaim-digests.ts': { ...sweep, coldShare: 1 },
    },
    logBytesPerInvocation: 600,
    logBytesPerFlowEvent: 400,
    expressEmptyRunMs: 300,
  };
}

export function callAssumptions(root: string): CallAssumptions {
  return {
    logBytesPerInvocation: 600,
    logBytesPerFlowEvent: 400,
    coldShare: 0.01,
    initMs: medianInitMs(root),
    tracedShare: 0.05,
    consumers: {
      // One Query of the tenant's automations per event (none enabled: 0.5 RRU).
      'functions/automations/dispatch-automations.ts': { durationMs: 20, readUnits: 0.5, writeUnits: 0 },
      // One Query of the tenant's webhooks per event (none subscribed: 0.5 RRU).
      'functions/webhooks/dispatch-webhooks.ts': { durationMs: 20, readUnits: 0.5, writeUnits: 0 },
      // Only on crm.export.requested.v1, which no operation of the mix causes. An export of 1,000
      // customers: Queries reading ~1 MB of profiles (125 RRU), the job's start and its completion
      // with the event (6 WRU), and the file to S3.
      'functions/exports/run-export.ts': { durationMs: 1500, readUnits: 125, writeUnits: 6 },
      // Its writes are in the create's measured units already.
      'functions/stats/count-daily-events.ts': { durationMs: 20, readUnits: 0, writeUnits: 0 },
      // EMF lines only: no table access.
      'functions/stats/record-business-metrics.ts': { durationMs: 5, readUnits: 0, writeUnits: 0 },
      // Deals, changes of hands, opened tasks (none in the typical mix yet): one transaction of a
      // ConditionCheck and a Put, 2 WRU each.
      'functions/activities/record-timeline-entry.ts': { durationMs: 20, readUnits: 0, writeUnits: 4 },
    },
    publisherMsPerEvent: 20,
    // The welcome flow: one Lambda task that reads the tenant's welcome settings and may send a mail.
    expressRunMs: 300,
  };
}

export interface CostReport {
  readonly idle: Readonly<Record<string, CostBreakdown>>;
  readonly calls: CostBreakdown;
  readonly mix: readonly MixEntry[];
  readonly otherMixes: readonly { label: string; totalUsd: number }[];
}

export function costReport(stages: Readonly<Record<string, StageTemplates>>, callStage: string, root: string, matches: (pattern: unknown, event: unknown) => boolean): CostReport {
  const idle = Object.fromEntries(Object.entries(stages).map(([stage, templates]) => [stage, idleMonthlyCost(templates, idleAssumptions(root))]));
  const ops = measuredOperations(root);
  const mix = mixOf(ops, TYPICAL_MIX);
  const otherMixes = OTHER_MIXES.map(({ label, shares, assumptions }) => ({
    label,
    totalUsd: apiCallsCost(stages[callStage]!, mixOf(ops, shares), { ...callAssumptions(root), ...assumptions }, matches).totalUsd,
  }));
  return { idle, calls: apiCallsCost(stages[callStage]!, mix, callAssumptions(root), matches), mix, otherMixes };
}

const usd = (n: number) => `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;

/** The generated part of docs/cost.md. */
export function renderCostTables(report: CostReport): string {
  const out: string[] = [];
  out.push(`_Prices: us-east-1 list prices, no free tier, checked ${PRICES_CHECKED} (infra/cost-model.ts names each one's page)._`, '');
  out.push('### Idle, per month', '');
  const stages = Object.keys(report.idle);
  out.push(`| Stage | Idle a month | Target |`, '| --- | ---: | --- |');
  for (const stage of stages) out.push(`| ${stage} | ${usd(report.idle[stage]!.totalUsd)} | ${stage === 'prod' || stage === 'staging' ? 'none' : `<= ${usd(TARGETS.devIdleUsd)}: ${report.idle[stage]!.totalUsd <= TARGETS.devIdleUsd ? 'met' : 'missed'}`} |`);
  for (const stage of stages) {
    out.push('', `#### ${stage}`, '', '| Item | Basis | a month |', '| --- | --- | ---: |');
    for (const line of report.idle[stage]!.lines) out.push(`| ${line.item} | ${line.basis} | ${usd(line.usd)} |`);
    out.push(`| **total** | | **${usd(report.idle[stage]!.totalUsd)}** |`);
  }
  out.push('', '### One million API calls', '', '| Operation | Share | Read units | Write units | Billed ms | Events | Measured in |', '| --- | ---: | ---: | ---: | ---: | --- | --- |');
  for (const { operation: o, share } of report.mix) {
    out.push(`| ${o.route} | ${(share * 100).toFixed(0)}% | ${o.readUnits} | ${o.writeUnits} | ${o.durationMs} | ${o.events.map((e) => e['detail-type']).join(', ') || '-'} | ${o.source} |`);
  }
  out.push('', '| Item | Basis | Cost |', '| --- | --- | ---: |');
  for (const line of report.calls.lines) out.push(`| ${line.item} | ${line.basis} | ${usd(line.usd)} |`);
  out.push(`| **total** | | **${usd(report.calls.totalUsd)}** |`);
  out.push('', `Target: <= ${usd(TARGETS.millionCallsUsd)} all-in: **${report.calls.totalUsd <= TARGETS.millionCallsUsd ? 'met' : 'missed'}**.`);
  out.push('', 'Other mixes, same model and measurements:', '', '| Mix | 1M calls |', '| --- | ---: |');
  for (const other of report.otherMixes) out.push(`| ${other.label} | ${usd(other.totalUsd)} |`);
  return out.join('\n');
}

function readJson(root: string, benchmark: string): unknown {
  return JSON.parse(readFileSync(join(root, 'bench', 'results', `${benchmark}.json`), 'utf8'));
}
