import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BusLog } from '../../../local/bus-log';
import { type BusTargets, LocalEventBus, type PutEventsEntry } from '../../../local/event-bus';
import { InFlight } from '../../../local/in-flight';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../../local/template-resolver';
import type { LocalRule, RuleTarget } from '../../../local/wiring';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const BUS = 'crm-test';

interface Call {
  kind: 'lambda' | 'state-machine';
  name: string;
  input: unknown;
}

/** Targets that record every call and fail the first `failures` calls of the functions named in it. */
function fakeTargets(failures: Record<string, number> = {}): BusTargets & { calls: Call[] } {
  const calls: Call[] = [];
  const remaining = { ...failures };
  return {
    calls,
    async invokeLambda(name, input) {
      calls.push({ kind: 'lambda', name, input });
      if ((remaining[name] ?? 0) > 0) {
        remaining[name]! -= 1;
        throw new Error(`${name} failed`);
      }
      return null;
    },
    async startExecution(arn, input) {
      calls.push({ kind: 'state-machine', name: arn, input });
      return { executionArn: `${arn}:x` };
    },
  };
}

function lambdaTarget(functionName: string, extra: Partial<Extract<RuleTarget, { kind: 'lambda' }>> = {}): RuleTarget {
  return { kind: 'lambda', id: `T-${functionName}`, functionName, retryAttempts: 0, hasDlq: false, ...extra };
}

function rule(logicalId: string, extra: Partial<LocalRule> = {}): LocalRule {
  return {
    logicalId,
    eventBusName: BUS,
    eventPattern: { source: ['crm'], 'detail-type': ['crm.customer.created.v1'] },
    enabled: true,
    targets: [lambdaTarget(logicalId)],
    ...extra,
  };
}

function bus(rules: LocalRule[], targets: BusTargets = fakeTargets()) {
  const inFlight = new InFlight();
  return { bus: new LocalEventBus(rules, [BUS], targets, inFlight, () => NOW, 1), inFlight };
}

const created = (detail: unknown = { customerId: 'c1' }): PutEventsEntry => ({
  Source: 'crm',
  DetailType: 'crm.customer.created.v1',
  Detail: JSON.stringify(detail),
  EventBusName: BUS,
});

describe('PutEvents validation', () => {
  it.each<[string, PutEventsEntry, RegExp]>([
    ['missing Source', { DetailType: 'd', Detail: '{}', EventBusName: BUS }, /Source is required/],
    ['missing DetailType', { Source: 's', Detail: '{}', EventBusName: BUS }, /DetailType is required/],
    ['missing Detail', { Source: 's', DetailType: 'd', EventBusName: BUS }, /Detail is required/],
    ['a Detail that is an array', { Source: 's', DetailType: 'd', Detail: '[1]', EventBusName: BUS }, /must be a JSON object/],
    ['a Detail that is a JSON string', { Source: 's', DetailType: 'd', Detail: '"x"', EventBusName: BUS }, /must be a JSON object/],
    ['a Detail that is not JSON', { Source: 's', DetailType: 'd', Detail: '{nope', EventBusName: BUS }, /not valid JSON/],
    ['an unknown bus', { Source: 's', DetailType: 'd', Detail: '{}', EventBusName: 'other-bus' }, /Event bus other-bus does not exist/],
  ])('%s fails that entry only: counted in FailedEntryCount while the valid entry gets an EventId', (_label, badEntry, message) => {
    const { bus: b } = bus([]);

    const result = b.putEvents([created(), badEntry]);

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries[0]).toEqual({ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(result.Entries[1]).toEqual({ ErrorCode: expect.any(String), ErrorMessage: expect.stringMatching(message) });
  });

  it('reports an unknown bus as ResourceNotFoundException', () => {
    const { bus: b } = bus([]);

    const result = b.putEvents([{ ...created(), EventBusName: 'other-bus' }]);

    expect(result.Entries[0]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
  });

  it('accepts a bus given by ARN and records the event in EventBridge shape with the clock time', () => {
    const { bus: b } = bus([]);

    b.putEvents([{ ...created({ a: 1 }), EventBusName: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${BUS}` }]);

    const [record] = b.recent();
    expect(record?.eventBusName).toBe(BUS);
    expect(record?.event).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'crm.customer.created.v1',
      source: 'crm',
      account: LOCAL_ACCOUNT,
      time: '2026-03-01T10:00:00Z',
      region: LOCAL_REGION,
      resources: [],
      detail: { a: 1 },
    });
  });

  it('accepts the default bus without a name', () => {
    const { bus: b } = bus([]);

    const result = b.putEvents([{ Source: 's', DetailType: 'd', Detail: '{}' }]);

    expect(result.FailedEntryCount).toBe(0);
    expect(b.recent()[0]?.eventBusName).toBe('default');
  });
});

describe('rule matching', () => {
  it('delivers an event that matches the rule pattern to the rule target', async () => {
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([rule('Counter')], targets);

    b.putEvents([created()]);
    await inFlight.drain();

    expect(targets.calls).toEqual([{ kind: 'lambda', name: 'Counter', input: expect.objectContaining({ detail: { customerId: 'c1' } }) }]);
    expect(b.recent()[0]?.deliveries).toEqual([{ rule: 'Counter', target: 'T-Counter', status: 'delivered', attempts: 1 }]);
  });

  it('does not deliver an event that does not match the pattern', async () => {
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([rule('Counter')], targets);

    b.putEvents([{ ...created(), DetailType: 'crm.customer.deleted.v1' }]);
    await inFlight.drain();

    expect(targets.calls).toEqual([]);
    expect(b.recent()[0]?.matchedRules).toEqual([]);
  });

  it('skips disabled rules', async () => {
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([rule('Off', { enabled: false }), rule('On')], targets);

    b.putEvents([created()]);
    await inFlight.drain();

    expect(targets.calls.map((c) => c.name)).toEqual(['On']);
  });

  it('skips rules of another bus', async () => {
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([rule('DefaultBus', { eventBusName: 'default' }), rule('OwnBus')], targets);

    b.putEvents([created()]);
    await inFlight.drain();

    expect(targets.calls.map((c) => c.name)).toEqual(['OwnBus']);
  });

  it('applies the target InputPath $.detail', async () => {
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([rule('Counter', { targets: [lambdaTarget('Counter', { inputPath: '$.detail' })] })], targets);

    b.putEvents([created({ customerId: 'c9', nested: { x: 1 } })]);
    await inFlight.drain();

    expect(targets.calls[0]?.input).toEqual({ customerId: 'c9', nested: { x: 1 } });
  });

  it('sends a target constant Input instead of the event', async () => {
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([rule('Counter', { targets: [lambdaTarget('Counter', { input: { fixed: 1 }, inputPath: '$.detail' })] })], targets);

    b.putEvents([created()]);
    await inFlight.drain();

    expect(targets.calls[0]?.input).toEqual({ fixed: 1 });
  });

  it('starts an execution for a state machine target', async () => {
    const targets = fakeTargets();
    const smTarget: RuleTarget = { kind: 'state-machine', id: 'Flow', stateMachineArn: 'arn:sm', retryAttempts: 0, hasDlq: false };
    const { bus: b, inFlight } = bus([rule('ToFlow', { targets: [smTarget] })], targets);

    b.putEvents([created()]);
    await inFlight.drain();

    expect(targets.calls).toEqual([{ kind: 'state-machine', name: 'arn:sm', input: expect.objectContaining({ source: 'crm' }) }]);
  });
});

describe('delivery retries', () => {
  it('retries a failing target and marks it delivered once an attempt succeeds', async () => {
    const targets = fakeTargets({ Flaky: 2 });
    const { bus: b, inFlight } = bus([rule('Flaky', { targets: [lambdaTarget('Flaky', { retryAttempts: 3 })] })], targets);

    b.putEvents([created()]);
    await inFlight.drain();

    expect(targets.calls).toHaveLength(3);
    expect(b.recent()[0]?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(b.deadLetters).toEqual([]);
  });

  it('gives up after retryAttempts retries and puts the event in deadLetters', async () => {
    const targets = fakeTargets({ Broken: 100 });
    const { bus: b, inFlight } = bus([rule('Broken', { targets: [lambdaTarget('Broken', { retryAttempts: 2, hasDlq: true })] })], targets);

    b.putEvents([created()]);
    await inFlight.drain();

    expect(targets.calls).toHaveLength(3);
    expect(b.recent()[0]?.deliveries[0]).toEqual({ rule: 'Broken', target: 'T-Broken', status: 'failed', attempts: 3, error: 'Broken failed', at: NOW.toISOString() });
    expect(b.deadLetters).toEqual([
      { rule: 'Broken', target: 'T-Broken', event: expect.objectContaining({ source: 'crm' }), error: 'Broken failed', at: NOW.toISOString() },
    ]);
  });
});

describe('schedules', () => {
  const nightly = rule('NightlyRule', {
    eventPattern: undefined,
    scheduleExpression: 'cron(0 2 * * ? *)',
    scheduleName: 'nightly',
    eventBusName: 'default',
  });

  it('runSchedule fires the scheduled rule by its schedule name with a Scheduled Event', async () => {
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([nightly, rule('Other')], targets);

    const record = b.runSchedule('nightly');
    await inFlight.drain();

    expect(record?.matchedRules).toEqual(['NightlyRule']);
    expect(targets.calls).toEqual([
      {
        kind: 'lambda',
        name: 'NightlyRule',
        input: expect.objectContaining({ 'detail-type': 'Scheduled Event', source: 'aws.events', resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/NightlyRule`] }),
      },
    ]);
  });

  it('runSchedule of an unknown name returns undefined and delivers nothing', async () => {
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([nightly], targets);

    const record = b.runSchedule('weekly');
    await inFlight.drain();

    expect(record).toBeUndefined();
    expect(targets.calls).toEqual([]);
  });

  it('runSchedule does not fire a pattern rule by its logical id', () => {
    const { bus: b } = bus([nightly, rule('Other')]);

    const record = b.runSchedule('Other');

    expect(record).toBeUndefined();
  });

  it('schedules() lists the scheduled rules by name and expression', () => {
    const { bus: b } = bus([nightly, rule('Other')]);

    const schedules = b.schedules();

    expect(schedules).toEqual([{ name: 'nightly', expression: 'cron(0 2 * * ? *)' }]);
  });
});

describe('PutEvents Time', () => {
  it('reads Time as epoch seconds, the way the SDK sends it', () => {
    const { bus: b } = bus([]);

    b.putEvents([{ ...created(), Time: 1772359200.25 }]);

    expect(b.recent()[0]?.event.time).toBe('2026-03-01T10:00:00Z');
  });

  it('rejects only the entry with an invalid Time', () => {
    const { bus: b } = bus([]);

    const result = b.putEvents([{ ...created(), Time: 'garbage' }, created()]);

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries[0]).toMatchObject({ ErrorCode: 'InvalidArgument' });
    expect(result.Entries[1]).toHaveProperty('EventId');
  });
});

describe('redeliver', () => {
  it('delivers a recent event again, same id and detail, to the rules it matched then', async () => {
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([rule('Counter'), rule('Other', { eventPattern: { source: ['elsewhere'] } })], targets);
    const { Entries } = b.putEvents([created()]);
    await inFlight.drain();
    const eventId = (Entries[0] as { EventId: string }).EventId;

    const record = b.redeliver(eventId);
    await inFlight.drain();

    expect(record?.matchedRules).toEqual(['Counter']);
    expect(targets.calls.map((c) => [c.name, (c.input as { id: string }).id])).toEqual([
      ['Counter', eventId],
      ['Counter', eventId],
    ]);
    expect(b.redeliver('no-such-event')).toBeUndefined();
  });
});

describe('replays', () => {
  it('DescribeReplay: RUNNING while a delivery of its events runs, COMPLETED after; unknown for a replay it did not start', async () => {
    let finish = () => {};
    const held = new Promise<void>((resolve) => (finish = resolve));
    const targets = fakeTargets();
    const { bus: b, inFlight } = bus([rule('Dispatcher', { eventPattern: { source: ['crm'] } })], {
      ...targets,
      invokeLambda: async (name, input) => {
        if ((input as { 'replay-name'?: string })['replay-name']) await held;
        return targets.invokeLambda(name, input);
      },
    });
    b.putEvents([created()]);
    await inFlight.drain();

    const ruleArn = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${BUS}/Dispatcher`;
    expect(b.replay({ name: 'whr-1', busName: BUS, from: new Date(NOW.getTime() - 60_000), to: NOW, ruleArns: [ruleArn] })).toBe(1);
    expect(b.replayState('whr-1')).toBe('RUNNING');
    finish();
    await inFlight.drain();
    expect(b.replayState('whr-1')).toBe('COMPLETED');
    expect(b.replayState('whr-2')).toBeUndefined();
  });
});

describe('LocalEventBus with a log (a data dir)', () => {
  const withLog = <T>(body: (file: string) => Promise<T>) => {
    const dir = mkdtempSync(join(tmpdir(), 'bus-log-'));
    return body(join(dir, 'event-bus.jsonl')).finally(() => rmSync(dir, { recursive: true, force: true }));
  };

  it('shows after a restart what it delivered before, and makes no delivery twice', () =>
    withLog(async (file) => {
      const first = bus([rule('Stats')]);
      first.bus.persistTo(new BusLog(file));
      const id = (first.bus.putEvents([created()]).Entries[0] as { EventId: string }).EventId;
      await first.inFlight.drain();

      const targets = fakeTargets();
      const second = bus([rule('Stats')], targets);
      const resumed = second.bus.persistTo(new BusLog(file));
      await second.inFlight.drain();

      expect(resumed).toBe(0);
      expect(targets.calls).toEqual([]);
      expect(second.bus.recent()).toEqual([expect.objectContaining({ event: expect.objectContaining({ id }), deliveries: [expect.objectContaining({ status: 'delivered', attempts: 1 })] })]);
    }));

  it('makes again, after a crash, the deliveries the crash interrupted', () =>
    withLog(async (file) => {
      // The first runtime accepts the event and dies before its target answers.
      const hanging: BusTargets = { invokeLambda: () => new Promise(() => {}), startExecution: () => new Promise(() => {}) };
      const crashed = bus([rule('Stats'), rule('Welcome')], hanging);
      crashed.bus.persistTo(new BusLog(file));
      const id = (crashed.bus.putEvents([created()]).Entries[0] as { EventId: string }).EventId;

      const targets = fakeTargets();
      const restarted = bus([rule('Stats'), rule('Welcome')], targets);
      const resumed = restarted.bus.persistTo(new BusLog(file));
      await restarted.inFlight.drain();

      expect(resumed).toBe(2);
      expect(targets.calls.map((c) => [c.name, (c.input as { id: string }).id])).toEqual([
        ['Stats', id],
        ['Welcome', id],
      ]);
      expect(restarted.bus.recent()[0]?.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    }));

  it('ignores a line torn by a crash mid-write, and keeps dead letters across restarts', () =>
    withLog(async (file) => {
      const first = bus([rule('Stats', { targets: [lambdaTarget('Stats', { retryAttempts: 0 })] })], fakeTargets({ Stats: 1 }));
      first.bus.persistTo(new BusLog(file));
      first.bus.putEvents([created()]);
      await first.inFlight.drain();
      appendFileSync(file, '{"kind":"event","record":{"seq":9');

      const second = bus([rule('Stats')]);
      second.bus.persistTo(new BusLog(file));

      expect(second.bus.recent()).toHaveLength(1);
      expect(second.bus.deadLetters).toEqual([expect.objectContaining({ rule: 'Stats', error: 'Stats failed', at: NOW.toISOString() })]);
    }));

  it('compacts the file on restore to what it shows or still owes', () =>
    withLog(async (file) => {
      const first = bus([rule('Stats')]);
      first.bus.persistTo(new BusLog(file));
      for (let i = 0; i < 5; i++) first.bus.putEvents([created({ customerId: `c${i}` })]);
      await first.inFlight.drain();
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(10); // 5 events, 5 outcomes

      const restored = new BusLog(file, 3).restore();

      expect(restored.map((r) => (r.event.detail as { customerId: string }).customerId)).toEqual(['c2', 'c3', 'c4']);
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
    }));
});
