import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { crmStateMachine } from './crm-state-machine';
import { LAMBDA_SERVICE_ERRORS, lambdaStep } from './flow-steps';
import type { StageConfig } from '../stage-config';

export interface CampaignFlowProps {
  readonly config: StageConfig;
  readonly startRun: IFunction;
  readonly freezeAudience: IFunction;
  readonly planBatches: IFunction;
  readonly continueRun: IFunction;
  readonly sendBatch: IFunction;
  readonly complete: IFunction;
  readonly recordFailure: IFunction;
}

/** Batches sending at once in a run: they share the rate limiter, so more would only wait longer. */
export const CAMPAIGN_MAX_CONCURRENCY = 4;


/**
 * The campaign flow (docs/marketing.md, "Campaigns"), one execution per run (`/send`, each
 * `/resume`): StartCampaignRun checks the run is current and copies the template into SES; the
 * audience is frozen page by page (FreezeCampaignAudience loops); then rounds of PlanCampaignBatches
 * -> a Map of SendCampaignBatch (bounded concurrency, each ≤ 50 recipients through the rate
 * limiter) until no recipient is queued; CompleteCampaign ends it with crm.campaign.completed.v1.
 * Every step stops when the campaign was paused, cancelled or resumed by a newer run, so those
 * take effect between batches. An execution plans at most `campaignBatchesPerExecution` batches
 * (its history budget); then ContinueCampaignRun starts the run's next execution (`<runId>-p<n>`,
 * input: the run, the cursor and the part) and this one ends, so a campaign of any size stays far
 * from Step Functions' 25,000 history events per execution. SES throttling is retried with backoff by the Map item's Retry; an
 * error past the retries marks the campaign `failed` (RecordCampaignFailure), which can be resumed.
 *
 * JSONPath only, and state names are part of the contract (the local runtime binds tasks by name).
 */
export class CampaignFlow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** Named, not referenced: its own ContinueCampaignRun starts it (a reference would be a cycle). */
  readonly stateMachineArn: string;

  constructor(scope: Construct, id: string, props: CampaignFlowProps) {
    super(scope, id);
    const stateMachineName = `crm-${props.config.stage}-campaign`;
    this.stateMachineArn = Arn.format({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, Stack.of(this));
    const run = {
      tenantId: sfn.JsonPath.stringAt('$.tenantId'),
      campaignId: sfn.JsonPath.stringAt('$.campaignId'),
      runId: sfn.JsonPath.stringAt('$.runId'),
    };
    const invoke = (taskId: string, fn: IFunction, resultPath: string, payload: Record<string, unknown> = run) => lambdaStep(this, taskId, fn, resultPath, payload);

    const recordFailure = invoke('RecordCampaignFailure', props.recordFailure, '$.failed', {
      ...run,
      error: sfn.JsonPath.stringAt('$.error.Error'),
    });
    const failed = new sfn.Fail(this, 'CampaignFailed', { error: 'CampaignFailed', cause: 'A step failed past its retries; the campaign is marked failed and can be resumed' });
    recordFailure.next(failed);
    const catchAll = <T extends sfn.TaskStateBase | sfn.Map>(state: T): T => {
      state.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
      return state;
    };

    const start = catchAll(invoke('StartCampaignRun', props.startRun, '$.step'));
    const freeze = catchAll(invoke('FreezeCampaignAudience', props.freezeAudience, '$.step'));
    // The first execution of a run starts at the first recipient; a hand-over's at its cursor.
    const firstPart = sfn.Pass.jsonPath(this, 'FromFirstRecipient', { result: sfn.Result.fromObject({ after: null, planned: 0, part: 0 }), resultPath: '$.plan' });
    const nextPart = sfn.Pass.jsonPath(this, 'FromCursor', {
      parameters: { after: sfn.JsonPath.stringAt('$.after'), planned: 0, part: sfn.JsonPath.numberAt('$.part') },
      resultPath: '$.plan',
    });
    const plan = catchAll(
      invoke('PlanCampaignBatches', props.planBatches, '$.plan', {
        ...run,
        after: sfn.JsonPath.stringAt('$.plan.after'),
        planned: sfn.JsonPath.numberAt('$.plan.planned'),
        part: sfn.JsonPath.numberAt('$.plan.part'),
      }),
    );
    const handOver = catchAll(
      invoke('ContinueCampaignRun', props.continueRun, '$.step', { ...run, after: sfn.JsonPath.stringAt('$.plan.after'), part: sfn.JsonPath.numberAt('$.plan.part') }),
    );

    const sendBatch = tasks.LambdaInvoke.jsonPath(this, 'SendCampaignBatch', {
      lambdaFunction: props.sendBatch,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    })
      // Throttling and lost claim races send nothing: retry with backoff, long enough for SES's
      // per-second quota to refill many times over.
      .addRetry({ errors: ['CampaignBatchRetryable'], interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 8, maxDelay: Duration.seconds(60), jitterStrategy: sfn.JitterType.FULL })
      .addRetry({ errors: LAMBDA_SERVICE_ERRORS, interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 4, jitterStrategy: sfn.JitterType.FULL });
    const sendEach = catchAll(
      sfn.Map.jsonPath(this, 'SendBatches', {
        itemsPath: '$.plan.batches',
        itemSelector: {
          tenantId: sfn.JsonPath.stringAt('$.tenantId'),
          campaignId: sfn.JsonPath.stringAt('$.campaignId'),
          runId: sfn.JsonPath.stringAt('$.runId'),
          customerIds: sfn.JsonPath.listAt('$$.Map.Item.Value.customerIds'),
          variant: sfn.JsonPath.stringAt('$$.Map.Item.Value.variant'),
        },
        maxConcurrency: CAMPAIGN_MAX_CONCURRENCY,
        // The outcomes are in the table (recipients, stats); the state keeps only the plan.
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );
    sendEach.itemProcessor(sendBatch);

    const complete = catchAll(invoke('CompleteCampaign', props.complete, '$.step'));
    const done = new sfn.Succeed(this, 'RunEnded');

    const afterPlan = new sfn.Choice(this, 'NextRound')
      .when(sfn.Condition.stringEquals('$.plan.action', 'send'), sendEach.next(plan))
      .when(sfn.Condition.stringEquals('$.plan.action', 'complete'), complete.next(done))
      .when(sfn.Condition.stringEquals('$.plan.action', 'continue'), handOver.next(new sfn.Succeed(this, 'RunHandedOver')))
      .otherwise(done);
    plan.next(afterPlan);
    const sending = new sfn.Choice(this, 'WhichPart')
      .when(sfn.Condition.isPresent('$.part'), nextPart.next(plan))
      .otherwise(firstPart.next(plan));
    const afterFreeze = new sfn.Choice(this, 'AudienceFrozen')
      .when(sfn.Condition.stringEquals('$.step.action', 'freeze'), freeze)
      .when(sfn.Condition.stringEquals('$.step.action', 'send'), sending)
      .otherwise(done);
    freeze.next(afterFreeze);
    const afterStart = new sfn.Choice(this, 'RunCurrent')
      .when(sfn.Condition.stringEquals('$.step.action', 'freeze'), freeze)
      .when(sfn.Condition.stringEquals('$.step.action', 'send'), sending)
      .otherwise(done);

    this.stateMachine = crmStateMachine(this, { config: props.config, definition: start.next(afterStart), timeout: Duration.days(7), flowName: 'campaign', stateMachineName });
  }

  /** StartExecution of this flow: the API's send and resume, the hand-over step. */
  grantStart(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }));
  }
}
