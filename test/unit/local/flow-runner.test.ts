import { describe, expect, it } from 'vitest';
import { LocalFlowRunner, withDistributedMapsInline, withWaitingTasksUnbounded } from '../../../local/flows/flow-runner';
import { InFlight } from '../../../local/in-flight';
import type { LambdaHost } from '../../../local/lambda-host';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../../local/template-resolver';
import type { LocalStateMachine } from '../../../local/wiring';
import { LocalTaskTokens } from '../../../local/flows/task-tokens';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const FN_ARN = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
const SM_ARN = (name: string) => `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

type Handler = (event: unknown) => Promise<unknown>;

/** Choice -> Task (Lambda ARN as Resource, with a Retry whose real interval is a minute) -> Succeed. */
function choiceTaskFlow(functionName: string): LocalStateMachine {
  return {
    arn: SM_ARN('Greeting'),
    name: 'greeting',
    definition: {
      StartAt: 'Route',
      States: {
        Route: { Type: 'Choice', Choices: [{ Variable: '$.kind', StringEquals: 'greet', Next: 'Greet' }], Default: 'Skipped' },
        Greet: {
          Type: 'Task',
          Resource: FN_ARN(functionName),
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 60, MaxAttempts: 2, BackoffRate: 2 }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
        Skipped: { Type: 'Pass', Result: { skipped: true }, End: true },
      },
    },
  };
}

const invokeFlow: LocalStateMachine = {
  arn: SM_ARN('Invoke'),
  name: 'invoke',
  definition: {
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: FN_ARN('echo'), 'Payload.$': '$' },
        End: true,
      },
    },
  },
};

const waitFlow: LocalStateMachine = {
  arn: SM_ARN('Waiting'),
  name: 'waiting',
  definition: { StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Succeed' } } },
};

function runner(machines: LocalStateMachine[], handlers: Record<string, Handler>, tokens?: LocalTaskTokens) {
  const calls: { name: string; event: unknown }[] = [];
  const lambdas = {
    invoke: async (name: string, event: unknown) => {
      calls.push({ name, event });
      const handler = handlers[name];
      if (!handler) throw new Error(`no fake ${name}`);
      return handler(event);
    },
  } as unknown as LambdaHost;
  const byArn = (arn: string) => Object.keys(handlers).find((name) => FN_ARN(name) === arn || name === arn);
  const inFlight = new InFlight();
  return { flows: new LocalFlowRunner(machines, lambdas, byArn, inFlight, () => NOW, tokens), inFlight, calls };
}

/** A handler that fails its first call and answers `{ok: <attempt>}` after. */
function failingOnce(): Handler {
  let attempts = 0;
  return async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('transient');
    return { ok: attempts };
  };
}

describe('Lambda ARN tasks', () => {
  it('a Choice routes to the task, whose result is the SUCCEEDED output', async () => {
    const { flows, inFlight, calls } = runner([choiceTaskFlow('greet')], { greet: async (e) => ({ greeted: (e as { name: string }).name }) });

    const execution = flows.start(SM_ARN('Greeting'), { kind: 'greet', name: 'Ada' }, 'run-1');
    await inFlight.drain();

    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { greeted: 'Ada' }, stopDate: NOW.toISOString() });
    expect(calls).toEqual([{ name: 'greet', event: { kind: 'greet', name: 'Ada' } }]);
  });

  it('the Choice default skips the task', async () => {
    const { flows, inFlight, calls } = runner([choiceTaskFlow('greet')], { greet: async () => 'unused' });

    const execution = flows.start(SM_ARN('Greeting'), { kind: 'other' });
    await inFlight.drain();

    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { skipped: true } });
    expect(calls).toEqual([]);
  });

  it('a task that fails once then succeeds ends SUCCEEDED, without waiting the Retry interval', async () => {
    const flaky = failingOnce();
    const { flows, inFlight } = runner([choiceTaskFlow('flaky')], { flaky });

    const execution = flows.start(SM_ARN('Greeting'), { kind: 'greet' });
    await inFlight.drain();

    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { ok: 2 } });
  });

  it('counts the history events AWS would write: a Lambda task 5, a retry 3, other states 2, the execution 2', async () => {
    const flaky = failingOnce();
    const { flows, inFlight } = runner([choiceTaskFlow('flaky')], { flaky });

    const execution = flows.start(SM_ARN('Greeting'), { kind: 'greet' });
    await inFlight.drain();
    await new Promise((resolve) => setImmediate(resolve));

    // ExecutionStarted; Choice entered, exited; Task entered, scheduled, started, (failed, scheduled,
    // started), succeeded, exited; Succeed entered, exited; ExecutionSucceeded.
    expect(execution.historyEvents).toBe(14);
  });

  it('a task that always fails ends FAILED, with its message as the cause, after its retries', async () => {
    const { flows, inFlight, calls } = runner([choiceTaskFlow('broken')], {
      broken: async () => {
        throw Object.assign(new Error('mail server down'), { name: 'MailError' });
      },
    });

    const execution = flows.start(SM_ARN('Greeting'), { kind: 'greet' });
    await inFlight.drain();

    expect(calls).toHaveLength(3);
    expect(execution.status).toBe('FAILED');
    expect(execution).toMatchObject({ error: 'MailError', cause: 'mail server down' });
    expect(execution.stopDate).toBe(NOW.toISOString());
  });
});

describe('arn:aws:states:::lambda:invoke', () => {
  it('invokes FunctionName with the Payload and outputs { Payload, StatusCode }', async () => {
    const { flows, inFlight, calls } = runner([invokeFlow], { echo: async (e) => ({ echoed: e }) });

    const execution = flows.start(SM_ARN('Invoke'), { id: 7 });
    await inFlight.drain();

    expect(calls).toEqual([{ name: 'echo', event: { id: 7 } }]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({ Payload: { echoed: { id: 7 } }, StatusCode: 200 });
  });

  it('gives a null Payload when the function returns nothing', async () => {
    const { flows, inFlight } = runner([invokeFlow], { echo: async () => undefined });

    const execution = flows.start(SM_ARN('Invoke'), {});
    await inFlight.drain();

    expect(execution.output).toMatchObject({ Payload: null, StatusCode: 200 });
  });

  it('fails the execution when FunctionName has no local function', async () => {
    const { flows, inFlight } = runner([invokeFlow], {});

    const execution = flows.start(SM_ARN('Invoke'), {});
    await inFlight.drain();

    expect(execution.status).toBe('FAILED');
    expect(execution.cause).toContain(`No local function for ${FN_ARN('echo')}`);
  });
});

describe('Wait states', () => {
  it('a Wait of 3600 seconds finishes immediately', async () => {
    const { flows, inFlight } = runner([waitFlow], {});
    const started = Date.now();

    const execution = flows.start(SM_ARN('Waiting'), { a: 1 });
    await inFlight.drain();

    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { a: 1 } });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('executions', () => {
  it('start returns a RUNNING record with the execution ARN derived from the state machine ARN', () => {
    const { flows } = runner([waitFlow], {});

    const execution = flows.start(SM_ARN('Waiting'), { a: 1 }, 'exec-1');

    expect(execution).toEqual({
      executionArn: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:Waiting:exec-1`,
      stateMachineArn: SM_ARN('Waiting'),
      flow: 'waiting',
      name: 'exec-1',
      status: 'RUNNING',
      input: { a: 1 },
      startDate: NOW.toISOString(),
      historyEvents: expect.any(Number),
    });
  });

  it('can be started by the flow name instead of the ARN', async () => {
    const { flows, inFlight } = runner([waitFlow], {});

    const execution = flows.start('waiting', {});
    await inFlight.drain();

    expect(execution.stateMachineArn).toBe(SM_ARN('Waiting'));
  });

  it('describe finds an execution by ARN and returns undefined for an unknown one', async () => {
    const { flows, inFlight } = runner([waitFlow], {});
    const execution = flows.start(SM_ARN('Waiting'), {}, 'exec-2');
    await inFlight.drain();

    const found = flows.describe(execution.executionArn);
    const missing = flows.describe(`${execution.executionArn}-nope`);

    expect(found).toMatchObject({ name: 'exec-2', status: 'SUCCEEDED' });
    expect(missing).toBeUndefined();
  });

  it('list returns every execution in start order', async () => {
    const { flows, inFlight } = runner([waitFlow, invokeFlow], { echo: async () => 1 });
    flows.start(SM_ARN('Waiting'), {}, 'first');
    flows.start(SM_ARN('Invoke'), {}, 'second');
    await inFlight.drain();

    const listed = flows.list().map((e) => `${e.flow}/${e.name}/${e.status}`);

    expect(listed).toEqual(['waiting/first/SUCCEEDED', 'invoke/second/SUCCEEDED']);
  });

  it('starting an unknown state machine throws StateMachineDoesNotExist', () => {
    const { flows } = runner([waitFlow], {});

    const act = () => flows.start(SM_ARN('Missing'), {});

    expect(act).toThrow(expect.objectContaining({ name: 'StateMachineDoesNotExist' }));
  });

  it('reusing an execution name throws ExecutionAlreadyExists', async () => {
    const { flows, inFlight } = runner([waitFlow], {});
    flows.start(SM_ARN('Waiting'), {}, 'same');
    await inFlight.drain();

    const act = () => flows.start(SM_ARN('Waiting'), {}, 'same');

    expect(act).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
  });
});

describe('failures as Step Functions reports them', () => {
  it('a Fail state gives its Error and Cause', async () => {
    const failing: LocalStateMachine = {
      arn: SM_ARN('Failing'),
      name: 'failing',
      definition: { StartAt: 'Nope', States: { Nope: { Type: 'Fail', Error: 'Custom.Err', Cause: 'because' } } },
    };
    const { flows, inFlight } = runner([failing], {});

    const execution = flows.start(SM_ARN('Failing'), {});
    await inFlight.drain();

    expect(execution).toMatchObject({ status: 'FAILED', error: 'Custom.Err', cause: 'because' });
  });

  it('a definition that cannot run throws and leaves no RUNNING execution behind', () => {
    const invalid: LocalStateMachine = { arn: SM_ARN('Invalid'), name: 'invalid', definition: { StartAt: 'Missing', States: {} } };
    const { flows } = runner([invalid], {});

    expect(() => flows.start(SM_ARN('Invalid'), {}, 'once')).toThrow();
    expect(flows.list()).toEqual([]);
  });
});

/** Ask -> (waits on a token the `ask` Lambda receives) -> Done, as the approval flow's steps do. */
const tokenFlow = (resumable: boolean): LocalStateMachine => ({
  arn: SM_ARN('Approval'),
  name: 'approval',
  resumable,
  definition: {
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: FN_ARN('ask'), Payload: { 'request.$': '$.request', 'taskToken.$': '$$.Task.Token' } },
        ResultPath: '$.answer',
        End: true,
      },
    },
  },
});

describe('.waitForTaskToken', () => {
  const asked = () => {
    const tokens: string[] = [];
    return { tokens, ask: async (e: unknown) => void tokens.push((e as { taskToken: string }).taskToken) };
  };

  it('hands the Lambda a token, is not in flight while it waits, and goes on with what SendTaskSuccess sends', async () => {
    const { tokens, ask } = asked();
    const { flows, inFlight } = runner([tokenFlow(false)], { ask });
    const execution = flows.start(SM_ARN('Approval'), { request: 'discount' }, 'run-1');
    await inFlight.drain();

    expect(execution.status).toBe('RUNNING');
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatch(/^local-/);
    flows.sendTaskSuccess(tokens[0]!, { decision: 'approved' });
    await inFlight.drain();
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { request: 'discount', answer: { decision: 'approved' } } });
    // Answered once: a second answer names a task that no longer exists.
    expect(() => flows.sendTaskSuccess(tokens[0]!, {})).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
  });

  it('fails the state with the error SendTaskFailure names', async () => {
    const { tokens, ask } = asked();
    const { flows, inFlight } = runner([tokenFlow(false)], { ask });
    const execution = flows.start(SM_ARN('Approval'), { request: 'discount' }, 'run-1');
    await inFlight.drain();
    flows.sendTaskFailure(tokens[0]!, 'Recalled', 'The requester recalled it');
    await inFlight.drain();
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Recalled', cause: 'The requester recalled it' });
  });

  it('an unknown token is refused', () => {
    const { flows } = runner([tokenFlow(false)], {});
    expect(() => flows.sendTaskSuccess('local-nope', {})).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
  });

  it('after a restart, runs a resumable flow that was waiting again from its input, and only a resumable one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tokens-')), 'task-tokens.json');
    const before = asked();
    const first = runner([tokenFlow(true)], { ask: before.ask }, new LocalTaskTokens(file));
    first.flows.start(SM_ARN('Approval'), { request: 'discount' }, 'run-1');
    await first.inFlight.drain();

    const after = asked();
    const second = runner([tokenFlow(true)], { ask: after.ask }, new LocalTaskTokens(file));
    expect(second.flows.resumeLeftOver()).toBe(1);
    await second.inFlight.drain();
    expect(after.tokens).toHaveLength(1);
    expect(() => second.flows.sendTaskSuccess(before.tokens[0]!, {})).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
    second.flows.sendTaskSuccess(after.tokens[0]!, { decision: 'approved' });
    await second.inFlight.drain();
    expect(second.flows.list()[0]).toMatchObject({ status: 'SUCCEEDED', input: { request: 'discount' } });

    // Taken once: a third start resumes nothing; a flow that cannot rebuild its position is not resumed.
    expect(runner([tokenFlow(true)], {}, new LocalTaskTokens(file)).flows.resumeLeftOver()).toBe(0);
    const third = runner([tokenFlow(false)], { ask: asked().ask }, new LocalTaskTokens(file));
    third.flows.start(SM_ARN('Approval'), { request: 'x' }, 'run-2');
    await third.inFlight.drain();
    expect(runner([tokenFlow(false)], {}, new LocalTaskTokens(file)).flows.resumeLeftOver()).toBe(0);
  });
});

describe('tasks waiting on a token', () => {
  it('wait as long as their execution, as in AWS, not the local library’s 60 s default; a timeout of their own is kept', () => {
    const wait = (extra: Record<string, unknown> = {}) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', End: true, ...extra });
    const adjusted = withWaitingTasksUnbounded({
      StartAt: 'Open',
      States: {
        Open: wait(),
        Limited: wait({ TimeoutSeconds: 300 }),
        Plain: { Type: 'Task', Resource: FN_ARN('fn'), End: true },
        Fan: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Inner', States: { Inner: wait() } }] },
      },
    }) as { States: Record<string, { TimeoutSeconds?: number; Branches?: { States: Record<string, { TimeoutSeconds?: number }> }[] }> };
    expect(adjusted.States.Open!.TimeoutSeconds).toBe(Math.floor((2 ** 31 - 1) / 1000));
    expect(adjusted.States.Limited!.TimeoutSeconds).toBe(300);
    expect(adjusted.States.Plain!.TimeoutSeconds).toBeUndefined();
    expect(adjusted.States.Fan!.Branches![0]!.States.Inner!.TimeoutSeconds).toBe(Math.floor((2 ** 31 - 1) / 1000));
  });

  it('runs a Distributed Map as an inline Map of the same items and steps, and refuses one that reads S3', () => {
    const processor = { StartAt: 'Write', States: { Write: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } };
    const distributed = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.chunks',
          ItemSelector: { 'chunk.$': '$$.Map.Item.Value' },
          MaxConcurrency: 8,
          Label: 'Each',
          ToleratedFailurePercentage: 0,
          ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
          End: true,
        },
      },
    };
    expect(withDistributedMapsInline(distributed)).toEqual({
      StartAt: 'Each',
      States: { Each: { Type: 'Map', ItemsPath: '$.chunks', ItemSelector: { 'chunk.$': '$$.Map.Item.Value' }, MaxConcurrency: 8, ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'INLINE' } }, End: true } },
    });
    const reading = { StartAt: 'Each', States: { Each: { ...distributed.States.Each, ItemReader: { Resource: 'arn:aws:states:::s3:getObject' } } } };
    expect(() => withDistributedMapsInline(reading)).toThrow(/ItemReader/);
  });
});
