import { type CfnResource, type Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { METADATA } from '../metadata';
import type { StageConfig } from '../stage-config';

export interface CrmStateMachineProps {
  readonly config: StageConfig;
  readonly definition: sfn.IChainable;
  readonly timeout: Duration;
  /** The short name the local runtime lists the flow by (METADATA.flow). */
  readonly flowName: string;
  /**
   * STANDARD (the default) for flows that wait or run long; EXPRESS for a short flow that runs
   * often, which then costs per run instead of per state transition (docs/decisions.md, 55).
   * Express runs last at most 5 minutes and are started at least once, like any EventBridge target.
   */
  readonly type?: sfn.StateMachineType;
  /**
   * A fixed name, for a flow whose own tasks answer its task tokens: their grant names the ARN
   * (a reference to the state machine would be a cycle: it references them).
   */
  readonly stateMachineName?: string;
  /** The flow rebuilds its position from the table when run again (METADATA.resumable). */
  readonly resumable?: boolean;
}

/**
 * The house settings of every flow, in the scope of the flow's construct (ids `Logs` and
 * `StateMachine`): STANDARD unless asked otherwise, JSONPath only (the local runtime's aws-local-stepfunctions evaluates
 * JSONata incorrectly), X-Ray, a log group per flow without execution data (payloads hold
 * customer names).
 */
export function crmStateMachine(scope: Construct, props: CrmStateMachineProps): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: props.config.logRetention,
    removalPolicy: props.config.removalPolicy,
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: props.stateMachineName,
    stateMachineType: props.type ?? sfn.StateMachineType.STANDARD,
    queryLanguage: sfn.QueryLanguage.JSON_PATH,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    timeout: props.timeout,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  (stateMachine.node.defaultChild as CfnResource).addMetadata(METADATA.flow, props.flowName);
  if (props.resumable) (stateMachine.node.defaultChild as CfnResource).addMetadata(METADATA.resumable, true);
  return stateMachine;
}
