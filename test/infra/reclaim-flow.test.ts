import { describe, expect, it } from 'vitest';
import { LocalFlowRunner } from '../../local/flows/flow-runner';
import { InFlight } from '../../local/in-flight';
import type { LambdaHost } from '../../local/lambda-host';
import { synthesizeTemplates } from '../../local/synthesize';
import { readWiring } from '../../local/wiring';
import { RETRYABLE_ERROR } from '../../shared/allocation/reclaim-errors';
import { RECLAIM_SHARDS } from '../../shared/keys';
import { RECLAIM_MAX_CONCURRENCY } from '../../infra/constructs/reclaim-flow';

// The reclaim state machine as synthesized, run by the local runtime's flow runner with fake tasks:
// proves the ASL (Pass with States.ArrayRange, Map with ItemSelector and bounded concurrency, Retry
// and Catch per item) means on aws-local-stepfunctions what it is meant to mean in AWS.

const wiring = readWiring(synthesizeTemplates('local'));
const reclaim = wiring.stateMachines.find((sm) => sm.name === 'reclaim')!;
const entryOf = new Map([...wiring.functions.values()].map((f) => [f.name, f.entry]));
const NOW = '2026-03-01T10:00:00.000Z';

type Handler = (event: Record<string, unknown>) => Promise<unknown>;

function run(handlers: Record<string, Handler>, input: unknown = { 'detail-type': 'Scheduled Event' }) {
  const calls: { entry: string; event: Record<string, unknown> }[] = [];
  let active = 0;
  let maxActive = 0;
  const lambdas = {
    invoke: async (name: string, event: Record<string, unknown>) => {
      const entry = entryOf.get(name)!;
      calls.push({ entry, event });
      active += 1;
      maxActive = Math.max(maxActive, active);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return await handlers[entry]!(event);
      } finally {
        active -= 1;
      }
    },
  } as unknown as LambdaHost;
  const byArn = (arn: string) => [...wiring.functions.values()].find((f) => f.arn === arn || f.name === arn)?.name;
  const inFlight = new InFlight();
  const flows = new LocalFlowRunner(wiring.stateMachines, lambdas, byArn, inFlight, () => new Date(NOW));
  const execution = flows.start(reclaim.arn, input, 'run-7');
  return { execution, done: inFlight.drain(), calls, maxActive: () => maxActive };
}

const customers = (n: number) => Array.from({ length: n }, (_, i) => ({ tenantId: 't1', customerId: `C${String(i).padStart(3, '0')}` }));

describe('reclaim state machine (synthesized ASL on the local flow runner)', () => {
  it('is scheduled every 15 minutes by a rule the local runtime names "reclaim"', () => {
    const rule = wiring.rules.find((r) => r.scheduleName === 'reclaim');

    expect(rule).toMatchObject({ scheduleExpression: 'rate(15 minutes)', targets: [{ kind: 'state-machine', stateMachineArn: reclaim.arn, hasDlq: true }] });
  });

  it('finds due customers on every shard, evaluates each with bounded concurrency, then sends digests with all outcomes', async () => {
    const { execution, done, calls, maxActive } = run({
      'functions/allocation/find-due-customers.ts': async () => ({ now: NOW, capped: false, customers: customers(25) }),
      'functions/allocation/evaluate-customer.ts': async (e) => ({ tenantId: e.tenantId, customerId: e.customerId, outcome: 'rescheduled' }),
      'functions/allocation/send-reclaim-digests.ts': async (e) => ({ due: (e.outcomes as unknown[]).length, echo: e }),
    });
    await done;

    expect(execution.status).toBe('SUCCEEDED');
    const find = calls.find((c) => c.entry.endsWith('find-due-customers.ts'))!;
    expect(find.event).toEqual({ shards: Array.from({ length: RECLAIM_SHARDS }, (_, i) => i) });
    const evaluations = calls.filter((c) => c.entry.endsWith('evaluate-customer.ts'));
    expect(evaluations).toHaveLength(25);
    expect(evaluations[0]!.event).toEqual({ tenantId: 't1', customerId: 'C000', now: NOW, runId: 'run-7' });
    expect(maxActive()).toBeLessThanOrEqual(RECLAIM_MAX_CONCURRENCY);
    expect(maxActive()).toBeGreaterThan(1);
    const output = execution.output as { due: number; echo: { runId: string; now: string; capped: boolean; outcomes: { customerId: string }[] } };
    expect(output.due).toBe(25);
    expect(output.echo).toMatchObject({ runId: 'run-7', now: NOW, capped: false });
    expect(output.echo.outcomes.map((o) => o.customerId)).toEqual(customers(25).map((c) => c.customerId));
  });

  it('retries a throttled customer with backoff, and turns one that keeps failing into outcome "failed" without failing the run', async () => {
    const attempts = new Map<string, number>();
    const { execution, done } = run({
      'functions/allocation/find-due-customers.ts': async () => ({ now: NOW, capped: true, customers: customers(3) }),
      'functions/allocation/evaluate-customer.ts': async (e) => {
        const id = String(e.customerId);
        attempts.set(id, (attempts.get(id) ?? 0) + 1);
        if (id === 'C001' && attempts.get(id)! < 3) throw Object.assign(new Error('slow down'), { name: RETRYABLE_ERROR });
        if (id === 'C002') throw Object.assign(new Error('still throttled'), { name: RETRYABLE_ERROR });
        return { tenantId: e.tenantId, customerId: id, outcome: 'reclaimed' };
      },
      'functions/allocation/send-reclaim-digests.ts': async (e) => e,
    });
    await done;

    expect(execution.status).toBe('SUCCEEDED');
    expect(Object.fromEntries(attempts)).toEqual({ C000: 1, C001: 3, C002: 7 });
    expect((execution.output as { outcomes: unknown[]; capped: boolean }).outcomes).toEqual([
      { tenantId: 't1', customerId: 'C000', outcome: 'reclaimed' },
      { tenantId: 't1', customerId: 'C001', outcome: 'reclaimed' },
      { tenantId: 't1', customerId: 'C002', outcome: 'failed', error: RETRYABLE_ERROR },
    ]);
    expect((execution.output as { capped: boolean }).capped).toBe(true);
  });

  it('runs with nothing due', async () => {
    const { execution, done, calls } = run({
      'functions/allocation/find-due-customers.ts': async () => ({ now: NOW, capped: false, customers: [] }),
      'functions/allocation/evaluate-customer.ts': async () => {
        throw new Error('not called');
      },
      'functions/allocation/send-reclaim-digests.ts': async (e) => ({ due: (e.outcomes as unknown[]).length }),
    });
    await done;

    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { due: 0 } });
    expect(calls.map((c) => c.entry)).toEqual(['functions/allocation/find-due-customers.ts', 'functions/allocation/send-reclaim-digests.ts']);
  });
});
