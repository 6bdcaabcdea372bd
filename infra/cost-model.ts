import { ratePeriodMs } from '../shared/event-pattern/schedule-expression';
import { type CfnResource, HOURS_PER_MONTH, monthlyResourceCost, PRICES, RESOURCE_BILLING } from './cost-prices';
import { METADATA } from './metadata';

/**
 * The cost model (docs/cost.md): what a stage costs a month when nobody uses it, itemised from its
 * synthesized templates, and what a million API calls cost all-in, from measured DynamoDB figures.
 * Pure: templates, measurements and assumptions go in, priced lines come out.
 *
 * Prices are list prices in us-east-1, USD, without any free tier: free tiers belong to the
 * account and are shared by every stage in it (and by the traffic), so they say nothing about
 * what one more stage costs. Each price names the page it comes from; checked 2026-12-06 (see
 * docs/cost.md for how).
 */

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}
/** A stage: its templates by stack name. */
export type StageTemplates = Readonly<Record<string, CfnTemplate>>;

export interface CostLine {
  readonly item: string;
  /** What is counted, in words: "106 alarms", "43,800 runs × ...". */
  readonly basis: string;
  readonly usd: number;
}
export interface CostBreakdown {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
}

/** Resource types of the templates that RESOURCE_BILLING does not know, sorted. */
export function unknownResourceTypes(templates: StageTemplates): string[] {
  const types = new Set(allResources(templates).map(([, , r]) => r.Type));
  return [...types].filter((type) => !(type in RESOURCE_BILLING)).sort();
}

/** What one run of a scheduled job does when there is nothing to do, per function (by entry). */
export interface EmptyRunAssumption {
  /** Billed duration of a warm invocation that finds nothing, ms. */
  readonly durationMs: number;
  /** Share of its invocations that start a new environment (INIT billed, at initMs). */
  readonly coldShare: number;
  readonly initMs: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

export interface IdleAssumptions {
  /** Per function entry (the crm:entry metadata): its empty run. */
  readonly emptyRuns: Readonly<Record<string, EmptyRunAssumption>>;
  /** Bytes of CloudWatch Logs per Lambda invocation: the platform's START/END/REPORT lines and the handler's own. */
  readonly logBytesPerInvocation: number;
  /** Bytes of CloudWatch Logs per state machine history event at level ALL without execution data. */
  readonly logBytesPerFlowEvent: number;
  /** Express: the billed duration of an empty execution, ms (rounded up to 100 ms). */
  readonly expressEmptyRunMs: number;
}

/** The idle monthly cost of a stage: resources billed by the month, then every schedule's empty runs. */
export function idleMonthlyCost(templates: StageTemplates, assumptions: IdleAssumptions): CostBreakdown {
  const lines: CostLine[] = [];
  const unknown = unknownResourceTypes(templates);
  if (unknown.length > 0) throw new Error(`Resource types without a billing class in RESOURCE_BILLING: ${unknown.join(', ')}`);

  const monthly = new Map<string, { count: number; usd: number }>();
  for (const [, , resource] of allResources(templates)) {
    const usd = monthlyResourceCost(resource);
    if (usd === 0) continue;
    const entry = monthly.get(resource.Type) ?? { count: 0, usd: 0 };
    monthly.set(resource.Type, { count: entry.count + 1, usd: entry.usd + usd });
  }
  for (const [type, { count, usd }] of [...monthly].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push({ item: type, basis: `${count} × month`, usd });
  }

  for (const [stack, id, resource] of allResources(templates)) {
    const expression = resource.Properties?.ScheduleExpression;
    if (resource.Type !== 'AWS::Events::Rule' || typeof expression !== 'string') continue;
    const runs = runsPerMonth(expression);
    const targets = (resource.Properties?.Targets ?? []) as { Arn: unknown }[];
    for (const target of targets) {
      const targetId = referencedId(target.Arn);
      const targetResource = targetId ? templates[stack]?.Resources[targetId] : undefined;
      if (!targetId || !targetResource) throw new Error(`Schedule ${id} (${stack}): cannot resolve its target ${JSON.stringify(target.Arn)}`);
      const name = scheduleName(resource, id);
      lines.push(...scheduledRunLines(name, expression, runs, templates[stack]!, targetId, targetResource, assumptions));
    }
  }
  return { lines, totalUsd: sum(lines) };
}

function scheduledRunLines(name: string, expression: string, runs: number, template: CfnTemplate, targetId: string, target: CfnResource, a: IdleAssumptions): CostLine[] {
  const per = `${formatCount(runs)} runs (${expression})`;
  if (target.Type === 'AWS::Lambda::Function') {
    return lambdaRunLines(`schedule ${name}: Lambda ${entryOf(target, targetId)}`, per, runs, target, targetId, a, true);
  }
  if (target.Type === 'AWS::StepFunctions::StateMachine') {
    const definition = stateMachineDefinition(target);
    const path = emptyRunPath(definition);
    const type = (target.Properties?.StateMachineType as string | undefined) ?? 'STANDARD';
    const lines: CostLine[] = [];
    const label = `schedule ${name}: ${type} state machine`;
    if (type === 'EXPRESS') {
      const gbSeconds = expressGbSeconds(a.expressEmptyRunMs);
      lines.push({ item: `${label}, requests and duration`, basis: `${per}, ${Math.ceil(a.expressEmptyRunMs / 100) * 100} ms at 64 MB`, usd: runs * (PRICES.sfnExpressPerRequest + gbSeconds * PRICES.sfnExpressPerGbSecond) });
    } else {
      lines.push({ item: `${label}, state transitions`, basis: `${per} × ${path.states.length} transitions (${path.states.join(' → ')})`, usd: runs * path.states.length * PRICES.sfnStandardPerTransition });
    }
    const logging = target.Properties?.LoggingConfiguration as { Level?: string } | undefined;
    if (logging?.Level === 'ALL') {
      // History events of an empty run: started and succeeded, plus an entered and an exited per state (and a scheduled/started/succeeded per task).
      const events = 2 + path.states.length * 2 + path.tasks.length * 3;
      lines.push({ item: `${label}, execution logs (level ALL)`, basis: `${per} × ${events} events × ${a.logBytesPerFlowEvent} B`, usd: (runs * events * a.logBytesPerFlowEvent / 1e9) * PRICES.logsIngestionPerGb });
    }
    if ((target.Properties?.TracingConfiguration as { Enabled?: boolean } | undefined)?.Enabled) {
      lines.push({ item: `${label}, X-Ray traces`, basis: `${per}, each traced (the reservoir of 1 a second takes every one)`, usd: runs * PRICES.xrayPerTrace });
    }
    for (const task of path.tasks) {
      const fn = template.Resources[task];
      if (fn?.Type !== 'AWS::Lambda::Function') throw new Error(`Task ${task} of ${targetId} is not a Lambda function of its stack`);
      // Traced as part of the execution's trace: no trace of its own.
      lines.push(...lambdaRunLines(`schedule ${name}: Lambda ${entryOf(fn, task)}`, per, runs, fn, task, a, false));
    }
    return lines;
  }
  throw new Error(`Schedule ${name}: no cost model for a ${target.Type} target`);
}

function lambdaRunLines(label: string, per: string, runs: number, fn: CfnResource, id: string, a: IdleAssumptions, ownTrace: boolean): CostLine[] {
  const entry = entryOf(fn, id);
  const run = a.emptyRuns[entry];
  if (!run) throw new Error(`No empty-run assumption for ${entry} (IdleAssumptions.emptyRuns)`);
  const gb = memoryGb(fn);
  const ms = run.durationMs + run.coldShare * run.initMs;
  const lines: CostLine[] = [
    { item: `${label}, requests and duration`, basis: `${per} × (${run.durationMs} ms${run.coldShare ? ` + ${run.coldShare * 100}% cold × ${run.initMs} ms init` : ''}) at ${gb * 1024} MB`, usd: runs * (PRICES.lambdaPerRequest + (ms / 1000) * gb * lambdaGbSecondPrice(fn)) },
    { item: `${label}, logs`, basis: `${per} × ${a.logBytesPerInvocation} B`, usd: (runs * a.logBytesPerInvocation / 1e9) * PRICES.logsIngestionPerGb },
  ];
  if (run.readUnits || run.writeUnits) {
    lines.push({ item: `${label}, DynamoDB`, basis: `${per} × ${run.readUnits} RRU + ${run.writeUnits} WRU`, usd: runs * (run.readUnits * PRICES.dynamoPerReadUnit + run.writeUnits * PRICES.dynamoPerWriteUnit) });
  }
  if (ownTrace && tracingActive(fn)) {
    lines.push({ item: `${label}, X-Ray traces`, basis: `${per}, each traced (the reservoir of 1 a second takes every one)`, usd: runs * PRICES.xrayPerTrace });
  }
  return lines;
}

/** One operation of the API as measured: DynamoDB requests' consumed capacity and the handler's time. */
export interface MeasuredOperation {
  /** The route key, `METHOD /path` as in the route table. */
  readonly route: string;
  /** The label of the measurement it comes from (bench/results/<file>.json). */
  readonly source: string;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Billed handler duration, ms (warm). */
  readonly durationMs: number;
  /** Domain events the operation publishes (outbox → stream → bus). */
  readonly events: readonly { source: string; 'detail-type': string; detail?: unknown }[];
}

export interface MixEntry {
  readonly operation: MeasuredOperation;
  /** Share of the calls, 0..1; the shares of a mix add up to 1. */
  readonly share: number;
}

export interface CallAssumptions {
  readonly logBytesPerInvocation: number;
  readonly logBytesPerFlowEvent: number;
  /** Share of API invocations that start a new environment, and its billed INIT. */
  readonly coldShare: number;
  readonly initMs: number;
  /** Share of calls X-Ray records (Lambda's sampling: the first call each second, then 5 %). */
  readonly tracedShare: number;
  /** What each event consumer does per event, by function entry. */
  readonly consumers: Readonly<Record<string, { durationMs: number; readUnits: number; writeUnits: number }>>;
  /** The outbox publisher (stream → bus): billed ms per event it publishes. */
  readonly publisherMsPerEvent: number;
  /** Billed duration of an Express run an event starts, ms (rounded up to 100 ms, at 64 MB). */
  readonly expressRunMs: number;
}

/**
 * The cost of `calls` API calls of a mix, all in: API Gateway, the route's Lambda (requests,
 * duration at its memory, cold starts), DynamoDB units as measured, then for each domain event:
 * the outbox publisher, PutEvents, every rule that matches it (Lambda or state machine target,
 * the shortest path through the flow), logs and X-Ray.
 */
export function apiCallsCost(templates: StageTemplates, mix: readonly MixEntry[], a: CallAssumptions, matches: (pattern: unknown, event: unknown) => boolean, calls = 1e6): CostBreakdown {
  const shareTotal = mix.reduce((s, m) => s + m.share, 0);
  if (Math.abs(shareTotal - 1) > 1e-9) throw new Error(`The mix's shares add up to ${shareTotal}, not 1`);
  const functions = routeFunctions(templates);
  const rules = eventRules(templates);
  const publisher = streamPublisher(templates);
  const totals = { api: 0, lambdaRequests: 0, lambdaGbS: 0, lambdaDurationUsd: 0, rru: 0, wru: 0, events: 0, consumerRequests: 0, consumerGbS: 0, transitions: 0, expressRuns: 0, expressGbS: 0, logBytes: 0, traces: 0 };
  for (const { operation, share } of mix) {
    const n = calls * share;
    const fn = functions.get(operation.route);
    if (!fn) throw new Error(`No route ${operation.route} in the templates`);
    totals.api += n;
    totals.lambdaRequests += n;
    const gbS = n * ((operation.durationMs + a.coldShare * a.initMs) / 1000) * memoryGb(fn);
    totals.lambdaGbS += gbS;
    totals.lambdaDurationUsd += gbS * lambdaGbSecondPrice(fn);
    totals.rru += n * operation.readUnits;
    totals.wru += n * operation.writeUnits;
    totals.logBytes += n * a.logBytesPerInvocation;
    totals.traces += n * a.tracedShare;
    for (const event of operation.events) {
      totals.events += n;
      totals.consumerRequests += n; // the outbox publisher, one invocation per event at low rates (batches of 1)
      totals.consumerGbS += n * (a.publisherMsPerEvent / 1000) * memoryGb(publisher);
      totals.logBytes += n * a.logBytesPerInvocation;
      for (const rule of rules.filter((r) => matches(r.pattern, event))) {
        for (const target of rule.targets) {
          if (target.Type === 'AWS::Lambda::Function') {
            const entry = entryOf(target, rule.id);
            const consumer = a.consumers[entry];
            if (!consumer) throw new Error(`No consumer assumption for ${entry} (CallAssumptions.consumers)`);
            totals.consumerRequests += n;
            totals.consumerGbS += n * (consumer.durationMs / 1000) * memoryGb(target);
            totals.rru += n * consumer.readUnits;
            totals.wru += n * consumer.writeUnits;
            totals.logBytes += n * a.logBytesPerInvocation;
          } else if (target.Type === 'AWS::StepFunctions::StateMachine') {
            const path = shortestPath(stateMachineDefinition(target));
            if ((target.Properties?.StateMachineType ?? 'STANDARD') === 'EXPRESS') {
              totals.expressRuns += n;
              totals.expressGbS += n * expressGbSeconds(a.expressRunMs);
            }
            else totals.transitions += n * path.states.length;
            totals.logBytes += n * (2 + path.states.length * 2) * a.logBytesPerFlowEvent;
          } else {
            throw new Error(`Rule ${rule.id}: no cost model for a ${target.Type} target`);
          }
        }
      }
    }
  }
  const per = `per ${formatCount(calls)} calls`;
  const lines: CostLine[] = [
    { item: 'API Gateway HTTP API requests', basis: `${formatCount(totals.api)} requests`, usd: totals.api * PRICES.httpApiPerRequest },
    { item: 'Lambda requests (route functions)', basis: `${formatCount(totals.lambdaRequests)} invocations`, usd: totals.lambdaRequests * PRICES.lambdaPerRequest },
    { item: 'Lambda duration (route functions)', basis: `${formatCount(totals.lambdaGbS)} GB-s (${(a.coldShare * 100).toFixed(0)}% cold starts at ${a.initMs} ms INIT)`, usd: totals.lambdaDurationUsd },
    { item: 'DynamoDB read request units', basis: `${formatCount(totals.rru)} RRU`, usd: totals.rru * PRICES.dynamoPerReadUnit },
    { item: 'DynamoDB write request units', basis: `${formatCount(totals.wru)} WRU`, usd: totals.wru * PRICES.dynamoPerWriteUnit },
    { item: 'EventBridge events published (outbox)', basis: `${formatCount(totals.events)} events`, usd: totals.events * PRICES.eventBridgePerEvent },
    { item: 'Lambda for events (outbox publisher, rule targets)', basis: `${formatCount(totals.consumerRequests)} invocations, ${formatCount(totals.consumerGbS)} GB-s`, usd: totals.consumerRequests * PRICES.lambdaPerRequest + totals.consumerGbS * PRICES.lambdaArmPerGbSecond },
    { item: 'Step Functions started by events', basis: `${formatCount(totals.transitions)} Standard transitions, ${formatCount(totals.expressRuns)} Express runs`, usd: totals.transitions * PRICES.sfnStandardPerTransition + totals.expressRuns * PRICES.sfnExpressPerRequest + totals.expressGbS * PRICES.sfnExpressPerGbSecond },
    { item: 'CloudWatch Logs ingestion', basis: `${(totals.logBytes / 1e9).toFixed(2)} GB`, usd: (totals.logBytes / 1e9) * PRICES.logsIngestionPerGb },
    { item: 'X-Ray traces', basis: `${formatCount(totals.traces)} traces (${a.tracedShare * 100}% of calls)`, usd: totals.traces * PRICES.xrayPerTrace },
  ];
  return { lines: lines.map((l) => ({ ...l, basis: `${l.basis} ${per}` })), totalUsd: sum(lines) };
}

/** Runs a month of a `rate(...)` schedule; a cron expression needs its own rule here (none exists yet). */
export function runsPerMonth(expression: string): number {
  const periodMs = ratePeriodMs(expression);
  if (periodMs === undefined) throw new Error(`No runs-per-month rule for the schedule ${expression}`);
  return (HOURS_PER_MONTH * 3_600_000) / periodMs;
}

interface StateDefinition {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: readonly { Next: string }[];
  readonly Resource?: string;
  readonly Parameters?: { FunctionName?: string };
}
interface FlowDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, StateDefinition>>;
}

/**
 * The ASL of a state machine with its tokens replaced: a Lambda ARN becomes `ref:<logical id>`,
 * so a task names the function resource it invokes.
 */
export function stateMachineDefinition(resource: CfnResource): FlowDefinition {
  const body = resource.Properties?.DefinitionString;
  const text = typeof body === 'string' ? body : joinTokens(body);
  return JSON.parse(text) as FlowDefinition;
}

function joinTokens(value: unknown): string {
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`Unsupported DefinitionString ${JSON.stringify(value).slice(0, 80)}`);
  return join[1].map((part) => (typeof part === 'string' ? part : (referencedId(part) === 'AWS::Partition' ? 'aws' : `ref:${referencedId(part) ?? 'unknown'}`))).join(join[0]);
}

/** The states a run with nothing to do passes: from StartAt along Next (a Map runs no iteration). */
function emptyRunPath(definition: FlowDefinition): { states: string[]; tasks: string[] } {
  const states: string[] = [];
  const tasks: string[] = [];
  let name: string | undefined = definition.StartAt;
  while (name) {
    const state: StateDefinition | undefined = definition.States[name];
    if (!state) throw new Error(`State ${name} is missing`);
    if (state.Type === 'Choice') throw new Error(`State ${name}: an empty run through a Choice needs its branch named`);
    states.push(name);
    const fn = taskFunction(state);
    if (fn) tasks.push(fn);
    name = state.End ? undefined : state.Next;
  }
  return { states, tasks };
}

/** The fewest states any run passes (a lower bound: a Choice takes its shortest branch). */
function shortestPath(definition: FlowDefinition): { states: string[] } {
  const queue: string[][] = [[definition.StartAt]];
  while (queue.length > 0) {
    const path = queue.shift()!;
    const state = definition.States[path.at(-1)!]!;
    const next = [state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next)].filter((n): n is string => Boolean(n));
    if (state.End || state.Type === 'Succeed' || state.Type === 'Fail' || next.length === 0) return { states: path };
    for (const n of next) if (!path.includes(n)) queue.push([...path, n]);
  }
  throw new Error('The state machine has no path to an end');
}

function taskFunction(state: StateDefinition): string | undefined {
  if (state.Type !== 'Task') return undefined;
  const target = state.Resource?.includes(':states:::lambda:invoke') ? state.Parameters?.FunctionName : state.Resource;
  return target?.startsWith('ref:') ? target.slice(4) : undefined;
}

/** The function the table's stream invokes (the outbox publisher). */
function streamPublisher(templates: StageTemplates): CfnResource {
  for (const template of Object.values(templates)) {
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
      const fn = template.Resources[referencedId(resource.Properties?.FunctionName) ?? ''];
      if (fn) return fn;
    }
  }
  throw new Error('No stream-triggered function (outbox publisher) in the templates');
}

/** Route key → the function behind it, through the route's integration. */
function routeFunctions(templates: StageTemplates): Map<string, CfnResource> {
  const result = new Map<string, CfnResource>();
  for (const template of Object.values(templates)) {
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::ApiGatewayV2::Route') continue;
      const integrationId = integrationOf(resource.Properties?.Target);
      const integration = integrationId ? template.Resources[integrationId] : undefined;
      const fnId = referencedId(integration?.Properties?.IntegrationUri);
      const fn = fnId ? template.Resources[fnId] : undefined;
      if (fn) result.set(resource.Properties?.RouteKey as string, fn);
    }
  }
  return result;
}

function integrationOf(target: unknown): string | undefined {
  const join = (target as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  const ref = join?.[1].find((part) => typeof part !== 'string');
  return referencedId(ref);
}

function eventRules(templates: StageTemplates): { id: string; pattern: unknown; targets: CfnResource[] }[] {
  const rules: { id: string; pattern: unknown; targets: CfnResource[] }[] = [];
  for (const template of Object.values(templates)) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      // Domain events go to the stage's own bus; rules on the default bus (SES's events) never see them.
      if (resource.Type !== 'AWS::Events::Rule' || !resource.Properties?.EventPattern || !resource.Properties.EventBusName || resource.Properties.EventBusName === 'default') continue;
      const targets = ((resource.Properties.Targets ?? []) as { Arn: unknown }[]).map((t) => {
        const targetId = referencedId(t.Arn);
        const target = targetId ? template.Resources[targetId] : undefined;
        if (!target) throw new Error(`Rule ${id}: cannot resolve its target ${JSON.stringify(t.Arn)}`);
        return target;
      });
      rules.push({ id, pattern: resource.Properties.EventPattern, targets });
    }
  }
  return rules;
}

function allResources(templates: StageTemplates): [string, string, CfnResource][] {
  return Object.entries(templates).flatMap(([stack, t]) => Object.entries(t.Resources).map(([id, r]): [string, string, CfnResource] => [stack, id, r]));
}

/** The logical id of `{ Ref: X }` or `{ Fn::GetAtt: [X, ...] }`. */
function referencedId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return v.Ref ?? v['Fn::GetAtt']?.[0];
}

function entryOf(fn: CfnResource, id: string): string {
  const entry = fn.Metadata?.[METADATA.entry];
  return typeof entry === 'string' ? entry : id;
}

function memoryGb(fn: CfnResource): number {
  const memory = fn.Properties?.MemorySize;
  return (typeof memory === 'number' ? memory : 128) / 1024;
}

function lambdaGbSecondPrice(fn: CfnResource): number {
  const arch = fn.Properties?.Architectures;
  return Array.isArray(arch) && arch.includes('arm64') ? PRICES.lambdaArmPerGbSecond : PRICES.lambdaX86PerGbSecond;
}

function tracingActive(fn: CfnResource): boolean {
  return (fn.Properties?.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active';
}

function scheduleName(rule: CfnResource, id: string): string {
  const name = rule.Metadata?.[METADATA.schedule];
  return typeof name === 'string' ? name : id;
}

/** Express bills 64 MB steps (an empty-ish run uses the first) and 100 ms steps. */
function expressGbSeconds(ms: number): number {
  return ((Math.ceil(ms / 100) * 100) / 1000) * (64 / 1024);
}

function sum(lines: readonly CostLine[]): number {
  return lines.reduce((s, l) => s + l.usd, 0);
}

function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
