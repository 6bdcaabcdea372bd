import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { StatefulStack } from './stacks/stateful-stack';
import type { StatelessStack } from './stacks/stateless-stack';
import type { StageConfig } from './stage-config';

/**
 * Every cdk-nag (AwsSolutions) finding this app accepts, each on the narrowest construct and with
 * its reason. Anything not listed here fails the infra tests (and errors fail `cdk synth`), so a
 * new finding is either fixed in the resource or argued for here, in review.
 */
export function acknowledgeNagFindings(stateful: StatefulStack, stateless: StatelessStack, config: StageConfig): void {
  acknowledgeStateful(stateful, config);
  acknowledgeStateless(stateless);
}

function acknowledgeStateful(stack: StatefulStack, config: StageConfig): void {
  if (!config.pointInTimeRecovery) {
    acknowledge(stack.table, 'AwsSolutions-DDB3', `Stage ${config.stage} holds disposable test data only; prod and staging enable PITR.`);
  }
  acknowledge(
    stack.userPool,
    'AwsSolutions-COG2',
    'MFA is optional (TOTP) so each tenant can enforce it through its own identity provider or policy; requiring it here would lock out federated tenants.',
  );
  acknowledge(
    stack.userPool,
    'AwsSolutions-COG8',
    'The Plus feature plan (threat protection) is billed per active user; left to a deliberate cost decision per deployment, not a default.',
  );
}

function acknowledgeStateless(stack: StatelessStack): void {
  for (const fn of Object.values(stack.functions)) {
    acknowledge(
      fn,
      'AwsSolutions-L1',
      'Pinned to nodejs22.x on purpose: the code, its tests and the local runtime target Node 22 (and 20); moving to a newer runtime is a tested upgrade, not a default.',
    );
    if (fn.role) {
      acknowledge(
        fn.role,
        'AwsSolutions-IAM5[Resource::*]',
        fn === stack.functions.publishOutboxEvents
          ? 'xray:PutTraceSegments/PutTelemetryRecords (active tracing) and dynamodb:ListStreams (stream event source) support no resource-level permissions.'
          : 'xray:PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
      );
    }
  }

  const flows = [
    { stateMachine: stack.welcomeFlow.stateMachine, tasks: { SendWelcomeEmail: stack.functions.sendWelcomeEmail } },
    {
      stateMachine: stack.reclaimFlow.stateMachine,
      tasks: {
        FindDueCustomers: stack.functions.findDueCustomers,
        EvaluateCustomer: stack.functions.evaluateCustomer,
        SendReclaimDigests: stack.functions.sendReclaimDigests,
      },
    },
  ];
  for (const { stateMachine, tasks } of flows) {
    acknowledge(
      stateMachine.role,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs delivery (logs:*LogDelivery, PutResourcePolicy, Describe*) and X-Ray actions used by state machine logging and tracing support no resource-level permissions.',
    );
    for (const [task, fn] of Object.entries(tasks)) {
      acknowledge(
        stateMachine.role,
        `AwsSolutions-IAM5[Resource::<${logicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        `The ${task} task may invoke qualified versions of its own function only; added by the LambdaInvoke task.`,
      );
    }
  }

  acknowledge(
    stack.httpApi.route('GET /health'),
    'AwsSolutions-APIG4',
    'The health check is public by design for load balancers and uptime probes; it returns no data and calls nothing.',
  );
  acknowledge(
    stack.httpApi.route('GET /openapi.json'),
    'AwsSolutions-APIG4',
    'The API description is public by design so clients can generate code from it; it is built from the schemas and holds no tenant data.',
  );

  for (const [consumer, queue] of Object.entries(stack.deadLetterQueues)) {
    acknowledge(queue, 'AwsSolutions-SQS3', `This queue is itself the dead-letter queue of ${consumer}; it needs no DLQ of its own.`);
  }
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

function logicalId(element: CfnElement): string {
  return Stack.of(element).getLogicalId(element);
}
