import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { crmStateMachine } from './crm-state-machine';
import type { StageConfig } from '../stage-config';

export interface WelcomeFlowProps {
  readonly config: StageConfig;
  readonly sendWelcomeEmail: IFunction;
}

/**
 * Welcomes a new customer by email, under the tenant's marketing settings. The input is the
 * `crm.customer.created.v1` EventBridge event as delivered by the rule.
 *
 * JSONPath only: the local runtime executes this definition with aws-local-stepfunctions, which
 * evaluates JSONata incorrectly. State names are part of the contract: the local runtime binds
 * Lambda tasks to handlers by state name.
 */
export class WelcomeFlow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WelcomeFlowProps) {
    super(scope, id);

    const sendWelcomeEmail = tasks.LambdaInvoke.jsonPath(this, 'SendWelcomeEmail', {
      lambdaFunction: props.sendWelcomeEmail,
      payloadResponseOnly: true,
      inputPath: '$',
      // Replaced by the explicit retry below, which also covers the handler's own failures.
      retryOnServiceExceptions: false,
    });
    sendWelcomeEmail.addRetry({
      errors: [
        sfn.Errors.TASKS_FAILED,
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 4,
    });

    // No Choice on consent: the topic, the switch and the template are the tenant's settings, which
    // only the task reads (docs/marketing.md, "Welcome mail").
    const definition = sendWelcomeEmail.next(sfn.Succeed.jsonPath(this, 'Welcomed'));

    // Express: one run per created customer, which as a Standard workflow cost two transitions or
    // more ($50 per million customers); a run takes seconds (retries 2+4+8+16 s at most), and a
    // second start of the same event sends nothing, since the mail is claimed once per customer
    // (welcome-email-use-case.ts) (docs/decisions.md, 58).
    this.stateMachine = crmStateMachine(this, {
      config: props.config,
      definition,
      timeout: Duration.minutes(5),
      flowName: 'welcome',
      type: sfn.StateMachineType.EXPRESS,
    });
  }
}
