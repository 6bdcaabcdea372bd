import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { InFlight } from './in-flight';
import type { LambdaHost } from './lambda-host';
import type { LocalStateMachine } from './wiring';

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
}

type JsonValue = Parameters<StateMachine['run']>[0];
type TaskHandler = (input: JsonValue) => Promise<JsonValue>;
type State = Record<string, unknown>;

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
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
  ) {}

  start(stateMachineArn: string, input: unknown, name: string = randomUUID()): ExecutionRecord {
    const sm = this.stateMachines.find((s) => s.arn === stateMachineArn || s.name === stateMachineArn);
    if (!sm) throw Object.assign(new Error(`State Machine Does Not Exist: '${stateMachineArn}'`), { name: 'StateMachineDoesNotExist' });
    const executionArn = `${sm.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.executions.some((e) => e.executionArn === executionArn)) {
      throw Object.assign(new Error(`Execution Already Exists: '${executionArn}'`), { name: 'ExecutionAlreadyExists' });
    }
    // Built first: a definition that cannot run must not leave a RUNNING record behind.
    const machine = new StateMachine(sm.definition as never, { validationOptions: { checkArn: false, checkPaths: true } });
    const overrides = this.overridesFor(sm.definition);
    const record: ExecutionRecord = { executionArn, stateMachineArn: sm.arn, flow: sm.name, name, status: 'RUNNING', input, startDate: this.now().toISOString() };
    this.executions.push(record);
    if (this.executions.length > KEEP_EXECUTIONS) this.executions.shift();

    const run = machine.run(input as JsonValue, {
      overrides,
      context: { Execution: { Id: executionArn, Name: name, Input: input as never, StartTime: record.startDate, RoleArn: 'local' } } as never,
    });
    this.inFlight.track(
      run.result.then(
        (output) => Object.assign(record, { status: 'SUCCEEDED', output, stopDate: this.now().toISOString() }),
        (error: Error & { cause?: unknown }) => {
          // aws-local-stepfunctions wraps the state's error (a task's throw, a Fail state) in ExecutionError.
          const failure = error.cause instanceof Error ? error.cause : error;
          Object.assign(record, { status: 'FAILED', error: failure.name, cause: failure.message, stopDate: this.now().toISOString() });
        },
      ),
    );
    return record;
  }

  describe(executionArn: string): ExecutionRecord | undefined {
    return this.executions.find((e) => e.executionArn === executionArn);
  }

  list(): ExecutionRecord[] {
    return [...this.executions];
  }

  private overridesFor(definition: Record<string, unknown>) {
    const taskResourceLocalHandlers: Record<string, TaskHandler> = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [name, state] of allStates(definition)) {
      if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
      if (Array.isArray(state.Retry)) retryIntervalOverrides[name] = 10;
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource.startsWith(LAMBDA_INVOKE)) {
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

/** Every state of a definition, including Map iterators and Parallel branches. */
function* allStates(definition: Record<string, unknown>): Generator<[string, State]> {
  for (const [name, state] of Object.entries((definition.States ?? {}) as Record<string, State>)) {
    yield [name, state];
    for (const nested of [state.Iterator, state.ItemProcessor, ...((state.Branches as unknown[]) ?? [])]) {
      if (nested && typeof nested === 'object') yield* allStates(nested as Record<string, unknown>);
    }
  }
}
