import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { crmStateMachine } from './crm-state-machine';
import { lambdaStep } from './flow-steps';
import type { StageConfig } from '../stage-config';

export interface ImportFlowProps {
  readonly config: StageConfig;
  readonly prepare: IFunction;
  readonly writeChunk: IFunction;
  readonly complete: IFunction;
  readonly recordFailure: IFunction;
}

/**
 * Batches written at once. Each writes 16 rows at a time, a few conditional writes each: 8
 * batches keep an import near 1,000 writes a second, which on-demand capacity takes without
 * throttling a table that also serves the API.
 */
export const IMPORT_MAX_CONCURRENCY = 8;


/**
 * The import flow (docs/integrations.md, "Imports"), one execution per start of a run:
 * PrepareImport reads the CSV once (checks every row, writes the valid ones as batch files, or
 * counts a dry run); a Distributed Map writes the batches (WriteImportChunk, each exactly once,
 * each a child execution, so a file of 700 batches stays far from one execution's history
 * limit); CompleteImport writes the error CSV and ends the run with its event. A step failing
 * past its retries marks the run failed (RecordImportFailure); `/run` with `resume` continues it.
 * The local runtime runs the Distributed Map as an inline Map of the same batches.
 *
 * JSONPath only, and state names are part of the contract (the local runtime binds tasks by name).
 */
export class ImportFlow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ImportFlowProps) {
    super(scope, id);
    const run = {
      tenantId: sfn.JsonPath.stringAt('$.tenantId'),
      importId: sfn.JsonPath.stringAt('$.importId'),
      runId: sfn.JsonPath.stringAt('$.runId'),
      dryRun: sfn.JsonPath.stringAt('$.dryRun'),
    };
    const invoke = (taskId: string, fn: IFunction, resultPath: string, payload: Record<string, unknown> = run) => lambdaStep(this, taskId, fn, resultPath, payload);

    const recordFailure = invoke('RecordImportFailure', props.recordFailure, '$.failed', {
      ...run,
      error: sfn.JsonPath.stringAt('$.error.Error'),
      cause: sfn.JsonPath.stringAt('$.error.Cause'),
    });
    recordFailure.next(new sfn.Fail(this, 'ImportFailed', { error: 'ImportFailed', cause: 'A step failed past its retries; the import is marked failed and can be resumed' }));
    const catchAll = <T extends sfn.TaskStateBase | sfn.Map | sfn.DistributedMap>(state: T): T => {
      state.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
      return state;
    };

    const prepare = catchAll(invoke('PrepareImport', props.prepare, '$.prepared'));
    const writeChunk = tasks.LambdaInvoke.jsonPath(this, 'WriteImportChunk', { lambdaFunction: props.writeChunk, payloadResponseOnly: true, retryOnServiceExceptions: false })
      // A batch that failed (throttling, a timeout) is written again: its rows are recognised, not doubled.
      .addRetry({ errors: [sfn.Errors.ALL], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 5, maxDelay: Duration.seconds(60), jitterStrategy: sfn.JitterType.FULL });
    const writeChunks = catchAll(
      sfn.DistributedMap.jsonPath(this, 'WriteImportChunks', {
        itemsPath: '$.prepared.chunks',
        itemSelector: {
          tenantId: sfn.JsonPath.stringAt('$.tenantId'),
          importId: sfn.JsonPath.stringAt('$.importId'),
          runId: sfn.JsonPath.stringAt('$.runId'),
          dryRun: sfn.JsonPath.stringAt('$.dryRun'),
          chunk: sfn.JsonPath.stringAt('$$.Map.Item.Value'),
        },
        maxConcurrency: IMPORT_MAX_CONCURRENCY,
        mapExecutionType: sfn.StateMachineType.STANDARD,
        // Outcomes are in the table (the batches' counts) and the bucket (their rejects).
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );
    writeChunks.itemProcessor(writeChunk);
    const complete = catchAll(invoke('CompleteImport', props.complete, '$.completed'));
    const done = new sfn.Succeed(this, 'ImportEnded');
    const afterPrepare = new sfn.Choice(this, 'Prepared')
      .when(sfn.Condition.stringEquals('$.prepared.action', 'write'), writeChunks.next(complete))
      .when(sfn.Condition.stringEquals('$.prepared.action', 'complete'), complete)
      .otherwise(done);
    complete.next(done);

    this.stateMachine = crmStateMachine(this, { config: props.config, definition: prepare.next(afterPrepare), timeout: Duration.hours(24), flowName: 'import' });
  }
}
