import { type CfnResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RETRYABLE_ERROR } from '../../shared/allocation/reclaim-errors';
import { RECLAIM_SHARDS } from '../../shared/keys';
import { METADATA } from '../metadata';
import { crmStateMachine } from './crm-state-machine';
import { LAMBDA_SERVICE_ERRORS } from './flow-steps';
import type { StageConfig } from '../stage-config';
import { ASYNC_TARGET_DELIVERY, DeadLetterQueue } from './dead-letter-queue';

export interface ReclaimFlowProps {
  readonly config: StageConfig;
  readonly findDueCustomers: IFunction;
  readonly evaluateCustomer: IFunction;
  readonly sendReclaimDigests: IFunction;
}

/** Customers evaluated at once: bounds the table's write rate and Lambda concurrency per run. */
export const RECLAIM_MAX_CONCURRENCY = 10;
export const RECLAIM_SCHEDULE_MINUTES = 15;
/** Express's limit: a run is cut off after 5 minutes. */
export const RECLAIM_RUN_TIMEOUT_MINUTES = 5;

/** Lambda's own transient failures (Step Functions names them so), retried like throttling. */

/**
 * The reclaim sweep (docs/allocation.md): every 15 minutes a schedule starts this Express state machine,
 * which finds the due customers on the sharded GSI2 (FindDueCustomers), evaluates each with
 * bounded concurrency (EvaluateCustomer in a Map: reclaim, warn, reschedule or leave), then mails
 * each affected rep one digest and reports the run's counts (SendReclaimDigests).
 *
 * JSONPath only (the local runtime runs this with aws-local-stepfunctions, which evaluates JSONata
 * incorrectly); state names are part of the contract, since the local runtime binds Lambda tasks
 * by state name.
 */
export class ReclaimFlow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly rule: events.Rule;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ReclaimFlowProps) {
    super(scope, id);

    const retryTransient = (task: tasks.LambdaInvoke) =>
      task.addRetry({
        errors: [RETRYABLE_ERROR, ...LAMBDA_SERVICE_ERRORS],
        interval: Duration.seconds(1),
        backoffRate: 2,
        maxAttempts: 6,
        maxDelay: Duration.seconds(30),
        jitterStrategy: sfn.JitterType.FULL,
      });
    const invoke = (taskId: string, fn: IFunction, props: Partial<tasks.LambdaInvokeJsonPathProps> = {}) =>
      retryTransient(
        tasks.LambdaInvoke.jsonPath(this, taskId, {
          lambdaFunction: fn,
          payloadResponseOnly: true,
          // Replaced by the explicit retry, which also covers the handlers' ReclaimRetryable.
          retryOnServiceExceptions: false,
          ...props,
        }),
      );

    const prepare = sfn.Pass.jsonPath(this, 'ListShards', {
      parameters: { shards: sfn.JsonPath.arrayRange(0, RECLAIM_SHARDS - 1, 1) },
    });
    const findDue = invoke('FindDueCustomers', props.findDueCustomers);

    // One customer: its outcome replaces its entry in $.customers. A failure the retries could
    // not fix becomes outcome `failed` for this customer only; the run goes on.
    const evaluate = invoke('EvaluateCustomer', props.evaluateCustomer);
    const itemFailed = sfn.Pass.jsonPath(this, 'CustomerFailed', {
      parameters: {
        tenantId: sfn.JsonPath.stringAt('$.tenantId'),
        customerId: sfn.JsonPath.stringAt('$.customerId'),
        outcome: 'failed',
        error: sfn.JsonPath.stringAt('$.failure.Error'),
      },
    });
    evaluate.addCatch(itemFailed, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
    const evaluateEach = sfn.Map.jsonPath(this, 'EvaluateDueCustomers', {
      itemsPath: '$.customers',
      itemSelector: {
        tenantId: sfn.JsonPath.stringAt('$$.Map.Item.Value.tenantId'),
        customerId: sfn.JsonPath.stringAt('$$.Map.Item.Value.customerId'),
        now: sfn.JsonPath.stringAt('$.now'),
        runId: sfn.JsonPath.executionName,
      },
      maxConcurrency: RECLAIM_MAX_CONCURRENCY,
      // The outcomes replace the list of due customers: the state never holds both.
      resultPath: '$.customers',
    });
    evaluateEach.itemProcessor(evaluate);

    const digests = invoke('SendReclaimDigests', props.sendReclaimDigests, {
      payload: sfn.TaskInput.fromObject({
        runId: sfn.JsonPath.executionName,
        now: sfn.JsonPath.stringAt('$.now'),
        capped: sfn.JsonPath.stringAt('$.capped'),
        outcomes: sfn.JsonPath.listAt('$.customers'),
      }),
    });

    const definition = prepare.next(findDue).next(evaluateEach).next(digests);

    // Express: an empty run every 15 minutes costs a request, not four Standard transitions, and a
    // full run (MAX_DUE_PER_RUN customers, 10 at a time) takes seconds against Express's 5-minute
    // limit; what a run that times out leaves stays due for the next one (docs/decisions.md, 55).
    this.stateMachine = crmStateMachine(this, {
      config: props.config,
      definition,
      timeout: Duration.minutes(RECLAIM_RUN_TIMEOUT_MINUTES),
      flowName: 'reclaim',
      type: sfn.StateMachineType.EXPRESS,
    });

    this.deadLetterQueue = new DeadLetterQueue(this, 'ScheduleDlq');
    this.rule = new events.Rule(this, 'Schedule', {
      description: `Starts the reclaim sweep every ${RECLAIM_SCHEDULE_MINUTES} minutes`,
      schedule: events.Schedule.rate(Duration.minutes(RECLAIM_SCHEDULE_MINUTES)),
      targets: [new targets.SfnStateMachine(this.stateMachine, { deadLetterQueue: this.deadLetterQueue, ...ASYNC_TARGET_DELIVERY })],
    });
    (this.rule.node.defaultChild as CfnResource).addMetadata(METADATA.schedule, 'reclaim');
  }
}
