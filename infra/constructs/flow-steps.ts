import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** Lambda's own transient failures: every flow retries them on each Lambda step. */
export const LAMBDA_SERVICE_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

/**
 * The house Lambda step of a flow: the function's answer only, at `resultPath`, with Lambda's
 * transient failures retried four times with backoff and full jitter (the SDK's own retries off,
 * so attempts are counted in one place).
 */
export function lambdaStep(scope: Construct, id: string, fn: IFunction, resultPath: string, payload: Record<string, unknown>): sfn.TaskStateBase {
  return tasks.LambdaInvoke.jsonPath(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath,
  }).addRetry({ errors: LAMBDA_SERVICE_ERRORS, interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 4, jitterStrategy: sfn.JitterType.FULL });
}
