import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { InFlight } from '../in-flight';
import type { LambdaHost } from '../lambda-host';
import { LocalTaskTokens } from './task-tokens';
import type { LocalStateMachine } from '../wiring';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  flow: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate?: string;
  /**
   * The history events this execution would have in AWS, estimated from the local state events
   * (awsHistoryEvents): Step Functions ends an execution at 25,000, so flows that loop keep a budget.
   */
  historyEvents: number;
}

type JsonValue = Parameters<StateMachine['run']>[0];
type TaskHandler = (input: JsonValue) => Promise<JsonValue>;
type State = Record<string, unknown>;

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';
/** What `$$.Task.Token` reads here; each waiting state swaps it for a token of its own. */
const TOKEN_PLACEHOLDER = '$local-task-token$';
const KEEP_EXECUTIONS = 1000;

/**
 * Executes the ASL definitions from the template with aws-local-stepfunctions. Lambda tasks run
 * the template's functions in-process; Wait states and retry intervals are shortened so flows
 * finish at local speed (time-dependent logic reads the controllable clock instead).
 */
export class LocalFlowRunner {
  private readonly executions: ExecutionRecord[] = [];

  constructor(
    private readonly stateMachines: LocalStateMachine[],
    private readonly lambdas: LambdaHost,
    private readonly functionNameByArn: (arn: string) => string | undefined,
    private readonly inFlight: InFlight,
    private readonly now: () => Date,
    private readonly tokens: LocalTaskTokens = new LocalTaskTokens(),
  ) {}

  /**
   * Runs again, from their input, the resumable executions a previous run left waiting on a task
   * token: such a flow finds its position in the table (docs/local-runtime.md, "Task tokens").
   */
  resumeLeftOver(): number {
    let resumed = 0;
    for (const left of this.tokens.takeLeftOver()) {
      const sm = this.stateMachines.find((s) => s.arn === left.stateMachineArn);
      if (!sm?.resumable) continue;
      this.start(sm.arn, left.input, `${left.name.replace(/~r\d+$/, '')}~r${Date.now()}`);
      resumed++;
    }
    return resumed;
  }

  sendTaskSuccess(token: string, output: unknown): void {
    this.tokens.succeed(token, output);
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    this.tokens.fail(token, error, cause);
  }

  start(stateMachineArn: string, input: unknown, name: string = randomUUID()): ExecutionRecord {
    const sm = this.stateMachines.find((s) => s.arn === stateMachineArn || s.name === stateMachineArn);
    if (!sm) throw Object.assign(new Error(`State Machine Does Not Exist: '${stateMachineArn}'`), { name: 'StateMachineDoesNotExist' });
    const executionArn = `${sm.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.executions.some((e) => e.executionArn === executionArn)) {
      throw Object.assign(new Error(`Execution Already Exists: '${executionArn}'`), { name: 'ExecutionAlreadyExists' });
    }
    // Built first: a definition that cannot run must not leave a RUNNING record behind.
    const machine = new StateMachine(withoutLongTimeout(sm.definition) as never, { validationOptions: { checkArn: false, checkPaths: true } });
    // In flight while it works, not while it waits on a task token: settling must not wait for an approver.
    const busy = new BusyPeriods(this.inFlight);
    const overrides = this.overridesFor(sm.definition, { stateMachineArn: sm.arn, name, input }, busy);
    const record: ExecutionRecord = { executionArn, stateMachineArn: sm.arn, flow: sm.name, name, status: 'RUNNING', input, startDate: this.now().toISOString(), historyEvents: 0 };
    this.executions.push(record);
    if (this.executions.length > KEEP_EXECUTIONS) this.executions.shift();

    busy.begin();
    const run = machine.run(input as JsonValue, {
      overrides,
      context: { Execution: { Id: executionArn, Name: name, Input: input as never, StartTime: record.startDate, RoleArn: 'local' }, Task: { Token: TOKEN_PLACEHOLDER } } as never,
    });
    // Read as they come: unread, aws-local-stepfunctions would keep every event (and its input) until the end.
    void (async () => {
      for await (const event of run.eventLogs) record.historyEvents += awsHistoryEvents(event as LocalStateEvent);
    })();
    run.result
      .then(
        (output) => Object.assign(record, { status: 'SUCCEEDED', output, stopDate: this.now().toISOString() }),
        (error: Error & { cause?: unknown }) => {
          // aws-local-stepfunctions wraps the state's error (a task's throw, a Fail state) in ExecutionError.
          const failure = error.cause instanceof Error ? error.cause : error;
          Object.assign(record, { status: 'FAILED', error: failure.name, cause: failure.message, stopDate: this.now().toISOString() });
        },
      )
      .finally(() => (this.tokens.forgetExecution(name, sm.arn), busy.close()));
    return record;
  }

  describe(executionArn: string): ExecutionRecord | undefined {
    return this.executions.find((e) => e.executionArn === executionArn);
  }

  list(): ExecutionRecord[] {
    return [...this.executions];
  }

  private overridesFor(definition: Record<string, unknown>, execution: { stateMachineArn: string; name: string; input: unknown }, busy: BusyPeriods) {
    const taskResourceLocalHandlers: Record<string, TaskHandler> = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [name, state] of allStates(definition)) {
      if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
      if (Array.isArray(state.Retry)) retryIntervalOverrides[name] = 10;
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource === `${LAMBDA_INVOKE}${WAIT_FOR_TASK_TOKEN}`) {
        // The Lambda hands the token on (to the table); the state ends when someone answers it.
        taskResourceLocalHandlers[name] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
          // Busy again from the moment of the answer, so that whoever settles after answering waits for what follows.
          let unanswered = true;
          const { token, answered } = this.tokens.mint(execution, () => ((unanswered = false), busy.begin()));
          try {
            await this.invoke(String(FunctionName), withToken(Payload, token));
          } catch (error) {
            this.tokens.forget(token);
            throw error;
          }
          // The Lambda may have answered its own token already (nothing left to wait for).
          if (unanswered) busy.end();
          return (await answered) as JsonValue;
        };
      } else if (resource.startsWith(LAMBDA_INVOKE)) {
        taskResourceLocalHandlers[name] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
          const result = await this.invoke(String(FunctionName), Payload);
          return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 } as JsonValue;
        };
      } else if (resource.includes(':lambda:') && resource.includes(':function:')) {
        taskResourceLocalHandlers[name] = async (input) => this.invoke(resource, input) as Promise<JsonValue>;
      }
    }
    return { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides };
  }

  private async invoke(functionArn: string, payload: unknown): Promise<unknown> {
    const functionName = this.functionNameByArn(functionArn.replace(/:(\$LATEST|\d+)$/, ''));
    if (!functionName) throw new Error(`No local function for ${functionArn}`);
    const result = await this.lambdas.invoke(functionName, payload);
    return result ?? null;
  }
}

interface LocalStateEvent {
  type: string;
  state?: { type: string };
}

/**
 * AWS writes more history than aws-local-stepfunctions logs: a Task state is Entered, Scheduled,
 * Started, Succeeded and Exited (local: Entered, Exited), a retry is Failed, Scheduled, Started
 * (local: Failed, Retried), a Map is also Started and Succeeded. Every other event counts as one.
 */
export function awsHistoryEvents(event: LocalStateEvent): number {
  if (event.type === 'StateRetried') return 2;
  if (event.type !== 'StateEntered') return 1;
  if (event.state?.type === 'Task') return 4;
  if (event.state?.type === 'Map') return 3;
  return 1;
}

/** One in-flight entry per stretch of work of an execution, none while it waits. */
class BusyPeriods {
  private finish?: () => void;
  private closed = false;

  constructor(private readonly inFlight: InFlight) {}

  begin(): void {
    if (this.finish || this.closed) return;
    void this.inFlight.track(new Promise<void>((resolve) => (this.finish = resolve)));
  }

  /** The execution ended: a token answered later starts no work. */
  close(): void {
    this.closed = true;
    this.end();
  }

  end(): void {
    const finish = this.finish;
    this.finish = undefined;
    finish?.();
  }
}

/** Node's timers hold 2^31 ms (24.8 days): a longer execution timeout (a year, for approvals) would fire at once. */
const MAX_LOCAL_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function withoutLongTimeout(definition: Record<string, unknown>): Record<string, unknown> {
  const waiting = withWaitingTasksUnbounded(withDistributedMapsInline(definition));
  if (typeof waiting.TimeoutSeconds !== 'number' || waiting.TimeoutSeconds <= MAX_LOCAL_TIMEOUT_SECONDS) return waiting;
  const { TimeoutSeconds: _long, ...rest } = waiting;
  return rest;
}

/**
 * A `.waitForTaskToken` task without a timeout of its own waits in AWS as long as its execution
 * (the default is 99,999,999 s); aws-local-stepfunctions gives every Task 60 s of wall-clock time,
 * which would fail an approval left waiting for a minute. Such states get the longest timeout a
 * Node timer holds, in nested branches too.
 */
export function withWaitingTasksUnbounded(definition: Record<string, unknown>): Record<string, unknown> {
  const states = definition.States as Record<string, State> | undefined;
  if (!states) return definition;
  const adjusted = Object.fromEntries(
    Object.entries(states).map(([name, state]) => {
      let next: State = state;
      if (state.Type === 'Task' && String(state.Resource ?? '').endsWith(WAIT_FOR_TASK_TOKEN) && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
        next = { ...next, TimeoutSeconds: MAX_LOCAL_TIMEOUT_SECONDS };
      }
      if (Array.isArray(next.Branches)) next = { ...next, Branches: (next.Branches as Record<string, unknown>[]).map(withWaitingTasksUnbounded) };
      for (const key of ['Iterator', 'ItemProcessor'] as const) {
        if (next[key] && typeof next[key] === 'object') next = { ...next, [key]: withWaitingTasksUnbounded(next[key] as Record<string, unknown>) };
      }
      return [name, next];
    }),
  );
  return { ...definition, States: adjusted };
}

/** What only a Distributed Map has: its processor's mode and child execution type, its reader, batcher, writer and failure tolerance. */
const DISTRIBUTED_ONLY = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailurePercentage', 'ToleratedFailureCount', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath', 'Label'];

/**
 * aws-local-stepfunctions runs no Distributed Map: each becomes an inline Map of the same items
 * (its ItemsPath, ItemSelector, MaxConcurrency and processor), which runs the same tasks on the
 * same batches, in one execution instead of child executions. A Distributed Map reading its
 * items from S3 (ItemReader) cannot run so: refused, rather than run on no items.
 */
export function withDistributedMapsInline(definition: Record<string, unknown>): Record<string, unknown> {
  const states = definition.States as Record<string, State> | undefined;
  if (!states) return definition;
  const adjusted = Object.fromEntries(
    Object.entries(states).map(([name, state]) => {
      const processor = state.ItemProcessor as (Record<string, unknown> & { ProcessorConfig?: { Mode?: string } }) | undefined;
      if (state.Type !== 'Map' || processor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') return [name, state];
      if (state.ItemReader) throw new Error(`Map ${name} reads its items with an ItemReader, which the local runtime cannot run`);
      const inline = Object.fromEntries(Object.entries(state).filter(([key]) => !DISTRIBUTED_ONLY.includes(key)));
      const { ProcessorConfig: _distributed, ...steps } = processor;
      return [name, { ...inline, ItemProcessor: { ...withDistributedMapsInline(steps), ProcessorConfig: { Mode: 'INLINE' } } }];
    }),
  );
  return { ...definition, States: adjusted };
}

/** The payload with the token where the definition asked for `$$.Task.Token`. */
function withToken(value: unknown, token: string): unknown {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => withToken(v, token));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, token)]));
  return value;
}

/** Every state of a definition, including Map iterators and Parallel branches. */
function* allStates(definition: Record<string, unknown>): Generator<[string, State]> {
  for (const [name, state] of Object.entries((definition.States ?? {}) as Record<string, State>)) {
    yield [name, state];
    for (const nested of [state.Iterator, state.ItemProcessor, ...((state.Branches as unknown[]) ?? [])]) {
      if (nested && typeof nested === 'object') yield* allStates(nested as Record<string, unknown>);
    }
  }
}
