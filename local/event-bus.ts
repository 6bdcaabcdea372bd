import { randomUUID } from 'node:crypto';
import { matchesEventPattern } from '../shared/event-pattern';
import type { BusLog, LoggedDelivery, LoggedRecord } from './bus-log';
import type { InFlight } from './in-flight';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template-resolver';
import type { LocalRule, RuleTarget } from './wiring';

export type BusEventRecord = LoggedRecord;
export type Delivery = LoggedDelivery;

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: string | number;
}

export interface BusTargets {
  invokeLambda(functionName: string, event: unknown): Promise<unknown>;
  startExecution(stateMachineArn: string, input: unknown): Promise<unknown>;
}

/** Events kept in memory: what `GET /_local/events` shows and what a replay reads (the local archive). */
const KEEP_RECENT = 5000;
/** Replays whose state DescribeReplay answers, the oldest forgotten first. */
const KEEP_REPLAYS = 1000;
/** Log lines after which the bus rewrites its log down to what it still shows or owes. */
const COMPACT_AFTER_LINES = 20_000;

/**
 * The in-process EventBridge: PutEvents semantics (per-entry errors, FailedEntryCount), rules
 * matched with the EventBridge pattern language, asynchronous at-least-once delivery with the
 * target's retry policy, and a dead-letter list for deliveries that exhausted it.
 */
export class LocalEventBus {
  private readonly recentEvents: BusEventRecord[] = [];
  /** Records with a delivery still running, wherever they are in the recent list. */
  private readonly owing = new Map<number, BusEventRecord>();
  private seq = 0;
  /** Each replay's events, by replay name: DescribeReplay reads whether their deliveries are done. */
  private readonly replays = new Map<string, BusEventRecord[]>();
  private log?: BusLog;
  readonly deadLetters: { rule: string; target: string; event: unknown; error: string; at: string }[] = [];

  constructor(
    private readonly rules: LocalRule[],
    private readonly buses: string[],
    private readonly targets: BusTargets,
    private readonly inFlight: InFlight,
    private readonly now: () => Date,
    private readonly retryDelayMs = 50,
  ) {}

  putEvents(entries: PutEventsEntry[]) {
    const results = entries.map((entry) => {
      const problem = this.invalid(entry);
      if (problem) return { ErrorCode: 'MalformedDetail', ErrorMessage: problem };
      const time = entry.Time === undefined ? this.now() : eventTime(entry.Time);
      if (!time) return { ErrorCode: 'InvalidArgument', ErrorMessage: `Time ${String(entry.Time)} is not a timestamp` };
      const busName = this.busName(entry.EventBusName);
      if (!busName) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${entry.EventBusName} does not exist.` };
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: LOCAL_ACCOUNT,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: LOCAL_REGION,
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail!),
      };
      this.dispatch(busName, event);
      return { EventId: event.id };
    });
    return { Entries: results, FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length };
  }

  /** Fires a scheduled rule's targets now, as EventBridge Scheduler/cron would. */
  runSchedule(name: string): BusEventRecord | undefined {
    const rule = this.rules.find((r) => r.scheduleExpression && (r.scheduleName === name || r.logicalId === name));
    if (!rule) return undefined;
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: LOCAL_ACCOUNT,
      time: this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_REGION,
      resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${rule.logicalId}`],
      detail: {},
    };
    return this.deliverToRules(rule.eventBusName, event, [rule]);
  }

  /**
   * Delivers a recent event again, same id and all, to the rules it matched then: EventBridge's
   * delivery is at-least-once, and this is how a test makes the duplicate happen.
   */
  redeliver(eventId: string): BusEventRecord | undefined {
    const original = this.recentEvents.find((r) => r.event.id === eventId);
    if (!original) return undefined;
    const rules = this.rules.filter((r) => original.matchedRules.includes(r.logicalId));
    return this.deliverToRules(original.eventBusName, original.event, rules);
  }

  /**
   * StartReplay: the events this bus keeps (the last 5,000, its local archive) whose time is in
   * [from, to], delivered again to the rules the replay names, each stamped with `replay-name` as
   * EventBridge stamps replayed events. Replays of replays are not replayed. Returns how many.
   */
  replay(replay: { name: string; busName: string; from: Date; to: Date; ruleArns: readonly string[] }): number {
    const rules = this.rules.filter((r) => r.eventPattern && replay.ruleArns.some((arn) => arn.includes(`:${r.logicalId}/`) || arn.endsWith(`/${r.logicalId}`)));
    const archived = this.recentEvents.filter((r) => {
      const time = Date.parse(String(r.event.time));
      return r.eventBusName === replay.busName && r.event['replay-name'] === undefined && time >= replay.from.getTime() && time <= replay.to.getTime();
    });
    const replayed = archived.map((record) => {
      const event = { ...record.event, 'replay-name': replay.name };
      return this.deliverToRules(replay.busName, event, rules.filter((r) => matchesEventPattern(r.eventPattern, event)));
    });
    this.replays.set(replay.name, replayed);
    if (this.replays.size > KEEP_REPLAYS) this.replays.delete(this.replays.keys().next().value!);
    return archived.length;
  }

  /**
   * DescribeReplay's state: RUNNING while a delivery of its events is still running, then
   * COMPLETED; undefined for a replay this bus did not start. EventBridge completes a replay once
   * it has sent the last event to the bus; this bus sends them all at once, so the deliveries stand
   * in for the sending, and a test holds a replay running by holding its receiver.
   */
  replayState(name: string): 'RUNNING' | 'COMPLETED' | undefined {
    const records = this.replays.get(name);
    if (!records) return undefined;
    return records.some((r) => r.deliveries.some((d) => d.status === 'pending')) ? 'RUNNING' : 'COMPLETED';
  }

  /**
   * Keeps the bus's events and deliveries in a log from now on, after restoring what it holds:
   * the events it shows again, the dead letters, and the deliveries a crash interrupted, which
   * are made again now. Call once the targets can run (handlers' environment applied).
   * Returns how many deliveries were resumed.
   */
  persistTo(log: BusLog): number {
    this.log = log;
    let resumed = 0;
    for (const record of log.restore()) {
      this.seq = Math.max(this.seq, record.seq);
      this.remember(record);
      for (const [index, delivery] of record.deliveries.entries()) {
        if (delivery.status === 'failed') {
          this.deadLetters.push({ rule: delivery.rule, target: delivery.target, event: record.event, error: delivery.error ?? '', at: delivery.at ?? '' });
        }
        if (delivery.status !== 'pending') continue;
        const rule = this.rules.find((r) => r.logicalId === delivery.rule);
        const target = rule?.targets.find((t) => t.id === delivery.target);
        this.owing.set(record.seq, record);
        if (rule && target) {
          delivery.attempts = 0;
          this.inFlight.track(this.deliver(rule, target, record, index));
          resumed += 1;
        } else {
          this.settle(record, index, { status: 'failed', error: 'The rule or target is no longer in the app' });
        }
      }
    }
    return resumed;
  }

  schedules(): { name: string; expression: string }[] {
    return this.rules.filter((r) => r.scheduleExpression).map((r) => ({ name: r.scheduleName ?? r.logicalId, expression: r.scheduleExpression! }));
  }

  recent(): BusEventRecord[] {
    return [...this.recentEvents];
  }

  private dispatch(busName: string, event: Record<string, unknown>): void {
    const matching = this.rules.filter((r) => r.enabled && r.eventPattern && r.eventBusName === busName && matchesEventPattern(r.eventPattern, event));
    this.deliverToRules(busName, event, matching);
  }

  private deliverToRules(busName: string, event: Record<string, unknown>, rules: LocalRule[]): BusEventRecord {
    const record: BusEventRecord = {
      seq: ++this.seq,
      event,
      eventBusName: busName,
      matchedRules: rules.map((r) => r.logicalId),
      deliveries: rules.flatMap((rule) => rule.targets.map((target): Delivery => ({ rule: rule.logicalId, target: target.id, status: 'pending', attempts: 0 }))),
    };
    // Logged before PutEvents answers: from here on a crash cannot lose the event or its deliveries.
    this.log?.appendEvent(record);
    this.remember(record);
    if (record.deliveries.length) this.owing.set(record.seq, record);
    let index = 0;
    for (const rule of rules) for (const target of rule.targets) this.inFlight.track(this.deliver(rule, target, record, index++));
    this.compactIfLarge();
    return record;
  }

  private remember(record: BusEventRecord): void {
    this.recentEvents.push(record);
    if (this.recentEvents.length > KEEP_RECENT) this.recentEvents.shift();
  }

  private async deliver(rule: LocalRule, target: RuleTarget, record: BusEventRecord, index: number): Promise<void> {
    const { event } = record;
    const delivery = record.deliveries[index]!;
    const input = target.input ?? (target.inputPath ? selectPath(event, target.inputPath) : event);
    for (;;) {
      delivery.attempts += 1;
      try {
        if (target.kind === 'lambda') await this.targets.invokeLambda(target.functionName, input);
        else await this.targets.startExecution(target.stateMachineArn, input);
        this.settle(record, index, { status: 'delivered' });
        return;
      } catch (error) {
        delivery.error = error instanceof Error ? error.message : String(error);
        if (delivery.attempts > target.retryAttempts) {
          this.settle(record, index, { status: 'failed', error: delivery.error });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, this.retryDelayMs * 2 ** (delivery.attempts - 1))));
      }
    }
  }

  /** A delivery's end: recorded in the log, and a failure kept as a dead letter. */
  private settle(record: BusEventRecord, index: number, outcome: { status: 'delivered' } | { status: 'failed'; error: string }): void {
    const delivery = record.deliveries[index]!;
    delivery.status = outcome.status;
    if (outcome.status === 'failed') {
      delivery.error = outcome.error;
      delivery.at = this.now().toISOString();
      this.deadLetters.push({ rule: delivery.rule, target: delivery.target, event: record.event, error: outcome.error, at: delivery.at });
    }
    this.log?.appendOutcome(record.seq, index, delivery);
    if (record.deliveries.every((d) => d.status !== 'pending')) this.owing.delete(record.seq);
  }

  private compactIfLarge(): void {
    if (!this.log || this.log.length < COMPACT_AFTER_LINES) return;
    const bySeq = new Map([...this.recentEvents, ...this.owing.values()].map((r) => [r.seq, r]));
    this.log.rewrite([...bySeq.values()].sort((a, b) => a.seq - b.seq));
  }

  private busName(nameOrArn: string | undefined): string | undefined {
    const name = (nameOrArn ?? 'default').split('/').pop()!;
    return name === 'default' || this.buses.includes(name) ? name : undefined;
  }

  private invalid(entry: PutEventsEntry): string | undefined {
    if (!entry.Source) return 'Source is required';
    if (!entry.DetailType) return 'DetailType is required';
    if (!entry.Detail) return 'Detail is required';
    try {
      const detail = JSON.parse(entry.Detail);
      if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return 'Detail must be a JSON object';
    } catch {
      return 'Detail is not valid JSON';
    }
    if (Buffer.byteLength(JSON.stringify(entry)) > 256 * 1024) return 'Entry exceeds 256 KB';
    return undefined;
  }
}

/** The SDK sends PutEvents' Time as epoch seconds (JSON protocol); ISO strings are accepted too. */
function eventTime(value: string | number): Date | undefined {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The JSONPath subset targets use in InputPath: `$`, `$.a.b`. */
function selectPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}
