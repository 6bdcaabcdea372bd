import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Retries and age limit shared by every asynchronous EventBridge target. */
export const ASYNC_TARGET_DELIVERY = { retryAttempts: 8, maxEventAge: Duration.hours(2) } as const;

/**
 * Where an asynchronous delivery lands when every retry failed: encrypted, TLS-only, and kept
 * for the SQS maximum of 14 days so that a failure seen on Monday can still be redriven.
 */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }
}
