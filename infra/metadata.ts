/**
 * CloudFormation Metadata keys the CDK app writes so that the local runtime can run the very
 * resources it synthesizes (DESIGN.md section 3): the template is the single source of wiring.
 */
export const METADATA = {
  /** On AWS::Lambda::Function: the handler's source module, relative to the repo root (posix). */
  entry: 'crm:entry',
  /** On AWS::Lambda::Function: the exported handler name in that module. */
  handler: 'crm:handler',
  /** On AWS::Events::Rule with a ScheduleExpression: the name used by /_local/schedules/{name}/run. */
  schedule: 'crm:schedule',
  /** On AWS::StepFunctions::StateMachine: a short, stable name for local listings. */
  flow: 'crm:flow',
  /**
   * On AWS::StepFunctions::StateMachine: the flow rebuilds its position from the table when run
   * again with the same input, so the local runtime restarts its waiting executions after a
   * restart (docs/local-runtime.md, "Task tokens").
   */
  resumable: 'crm:resumable',
} as const;
