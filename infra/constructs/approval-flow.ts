import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { crmStateMachine } from './crm-state-machine';
import { LAMBDA_SERVICE_ERRORS } from './flow-steps';
import type { StageConfig } from '../stage-config';

export interface ApprovalFlowProps {
  readonly config: StageConfig;
  readonly openApprovalStep: IFunction;
  readonly finishApprovalProcess: IFunction;
}

/** Lambda's own transient failures (Step Functions names them so). */

/** Standard executions last at most a year; an approval left that long is over. */
const PROCESS_TIMEOUT = Duration.days(365);

/**
 * The one house flow of approval processes (docs/processes.md, "Approvals"), started by the bus
 * with crm.process.started.v1: for each step of the resolved chain, OpenStep opens the step's
 * approvals and waits on its task token (`.waitForTaskToken`); the decision that closes the step
 * answers the token (through crm.process.step-closed.v1 and ResumeApprovalFlow); an approved step
 * leads to the next, anything else, or the last approval, to Finish, which ends the process and
 * settles its subject in one commit.
 *
 * JSONPath only (aws-local-stepfunctions evaluates JSONata incorrectly); the local runtime binds
 * tasks by state name and emulates the task tokens, and runs a waiting execution again after a
 * restart: OpenStep finds its position in the table (`resumable`).
 */
export class ApprovalFlow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  private readonly stateMachineArn: string;

  constructor(scope: Construct, id: string, props: ApprovalFlowProps) {
    super(scope, id);
    const stateMachineName = `crm-${props.config.stage}-approval`;
    this.stateMachineArn = Arn.format({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, Stack.of(this));

    const retry = <T extends tasks.LambdaInvoke>(task: T) =>
      task.addRetry({ errors: [sfn.Errors.TASKS_FAILED, ...LAMBDA_SERVICE_ERRORS], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 5, jitterStrategy: sfn.JitterType.FULL });

    const prepare = sfn.Pass.jsonPath(this, 'Prepare', {
      parameters: {
        tenantId: sfn.JsonPath.stringAt('$.detail.tenantId'),
        correlationId: sfn.JsonPath.stringAt('$.detail.correlationId'),
        process: sfn.JsonPath.objectAt('$.detail.data'),
        step: 0,
      },
    });
    const openStep = retry(
      tasks.LambdaInvoke.jsonPath(this, 'OpenStep', {
        lambdaFunction: props.openApprovalStep,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: sfn.TaskInput.fromObject({
          tenantId: sfn.JsonPath.stringAt('$.tenantId'),
          correlationId: sfn.JsonPath.stringAt('$.correlationId'),
          process: sfn.JsonPath.objectAt('$.process'),
          step: sfn.JsonPath.numberAt('$.step'),
          taskToken: sfn.JsonPath.taskToken,
        }),
        resultPath: '$.answer',
        retryOnServiceExceptions: false,
      }),
    );
    const nextStep = sfn.Pass.jsonPath(this, 'NextStep', {
      parameters: {
        tenantId: sfn.JsonPath.stringAt('$.tenantId'),
        correlationId: sfn.JsonPath.stringAt('$.correlationId'),
        process: sfn.JsonPath.objectAt('$.process'),
        step: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.step'), 1),
        answer: sfn.JsonPath.objectAt('$.answer'),
      },
    });
    const finish = retry(
      tasks.LambdaInvoke.jsonPath(this, 'Finish', {
        lambdaFunction: props.finishApprovalProcess,
        payloadResponseOnly: true,
        payload: sfn.TaskInput.fromObject({
          tenantId: sfn.JsonPath.stringAt('$.tenantId'),
          correlationId: sfn.JsonPath.stringAt('$.correlationId'),
          process: sfn.JsonPath.objectAt('$.process'),
          outcome: sfn.JsonPath.stringAt('$.answer.outcome'),
        }),
        retryOnServiceExceptions: false,
      }),
    );
    const moreSteps = sfn.Choice.jsonPath(this, 'MoreSteps')
      .when(sfn.Condition.numberLessThanJsonPath('$.step', '$.process.stepCount'), openStep)
      .otherwise(finish);
    const stepOutcome = sfn.Choice.jsonPath(this, 'StepOutcome')
      .when(sfn.Condition.stringEquals('$.answer.outcome', 'approved'), nextStep.next(moreSteps))
      .otherwise(finish);

    this.stateMachine = crmStateMachine(this, {
      config: props.config,
      definition: prepare.next(openStep).next(stepOutcome),
      timeout: PROCESS_TIMEOUT,
      flowName: 'approval',
      stateMachineName,
      resumable: true,
    });
  }

  /** SendTaskSuccess on this flow's tokens: the flow's own OpenStep (catching up) and the resuming function. */
  grantTaskResponse(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [this.stateMachineArn] }));
  }
}
