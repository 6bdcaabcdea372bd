import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { type ITable, Operation } from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OpsAlarmsProps {
  readonly removalPolicy: RemovalPolicy;
  /** The topic to notify; without one, a new encrypted topic (the API stack's; domain stacks pass it on). */
  readonly topic?: sns.ITopic;
  /** Subscribed to a new topic by e-mail (`-c alarmEmail=`); AWS mails a confirmation link first. */
  readonly email?: string;
}

/**
 * How far the outbox publisher may lag behind the table stream before someone looks: events
 * normally leave within a second; a minute means the publisher is failing or throttled.
 */
export const OUTBOX_LAG_ALARM_MS = 60_000;
/** SES reviews an account at a 5 % bounce rate and a 0.1 % complaint rate; these warn before that. */
export const SES_BOUNCE_RATE_ALARM = 0.04;
export const SES_COMPLAINT_RATE_ALARM = 0.0008;

const PERIOD = Duration.minutes(5);

/**
 * Alarms that page on anything an operator must act on: a function failing, an event parked in
 * a dead-letter queue, the API answering 5xx, a flow failing or timing out, the outbox lagging,
 * the table throttling or failing, Lambda throttling, mail reputation sinking. They all notify
 * one encrypted SNS topic.
 */
export class OpsAlarms extends Construct {
  readonly topic: sns.ITopic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
    this.topic = props.topic ?? OpsAlarms.encryptedTopic(this, props.removalPolicy);
    if (props.email && !props.topic) (this.topic as sns.Topic).addSubscription(new subscriptions.EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  private static encryptedTopic(scope: Construct, removalPolicy: RemovalPolicy): sns.Topic {
    // A customer managed key: CloudWatch cannot publish to a topic under the AWS managed SNS key.
    const key = new kms.Key(scope, 'TopicKey', {
      description: 'Encrypts the CRM alarm topic',
      enableKeyRotation: true,
      removalPolicy,
    });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    return new sns.Topic(scope, 'Topic', { masterKey: key, enforceSSL: true });
  }

  watchFunction(fn: lambda.IFunction, name: string): void {
    this.alarm(`${name}Errors`, fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `${name} reported errors`,
    });
  }

  watchDeadLetterQueue(queue: sqs.IQueue, name: string): void {
    this.alarm(`${name}NotEmpty`, queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }), {
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: `${name} holds messages that failed every retry`,
    });
  }

  watchHttpApi(api: HttpApi, name: string): void {
    this.alarm(`${name}ServerErrors`, api.metricServerError({ period: PERIOD, statistic: 'Sum' }), {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `${name} answered 5xx`,
    });
  }

  watchStateMachine(stateMachine: sfn.IStateMachine, name: string): void {
    for (const [what, metric] of [
      ['Failed', stateMachine.metricFailed({ period: PERIOD, statistic: 'Sum' })],
      ['TimedOut', stateMachine.metricTimedOut({ period: PERIOD, statistic: 'Sum' })],
    ] as const) {
      this.alarm(`${name}${what}`, metric, {
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `${name}: an execution ${what === 'Failed' ? 'failed' : 'timed out'}`,
      });
    }
  }

  /** The age of the oldest stream record the function has not processed: the outbox's lag. */
  watchStreamLag(fn: lambda.IFunction, name: string): void {
    this.alarm(`${name}IteratorAge`, fn.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' }), {
      threshold: OUTBOX_LAG_ALARM_MS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: `${name} is more than ${OUTBOX_LAG_ALARM_MS / 1000} s behind the table stream: events are late`,
    });
  }

  watchTable(table: ITable, name: string): void {
    const throttles = new cloudwatch.MathExpression({
      expression: 'reads + writes',
      usingMetrics: {
        reads: table.metric('ReadThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
        writes: table.metric('WriteThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
      },
      period: PERIOD,
      label: 'throttled requests',
    });
    this.alarm(`${name}Throttles`, throttles, {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `${name} throttled requests (on demand: a partition or the account limit is hot)`,
    });
    // The operations the handlers use (a metric-math alarm takes at most 10 metrics).
    const systemErrors = table.metricSystemErrorsForOperations({
      operations: [Operation.GET_ITEM, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.DELETE_ITEM, Operation.QUERY, Operation.TRANSACT_WRITE_ITEMS, Operation.BATCH_WRITE_ITEM, Operation.BATCH_GET_ITEM, Operation.GET_RECORDS],
      period: PERIOD,
    });
    this.alarm(`${name}SystemErrors`, systemErrors, {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `${name} answered 5xx (DynamoDB system errors)`,
    });
  }

  /** Account- and region-wide: Lambda publishes throttles per function and in aggregate; one alarm covers every function. */
  watchLambdaThrottles(): void {
    const throttles = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', period: PERIOD, statistic: 'Sum' });
    this.alarm('LambdaThrottles', throttles, {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: 'Lambda throttled invocations in this account and region (concurrency limit reached)',
    });
  }

  /** SES's account reputation metrics, which it publishes by itself. */
  watchMailReputation(): void {
    const rate = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: 'Maximum' });
    this.alarm('SesBounceRate', rate('Reputation.BounceRate'), {
      threshold: SES_BOUNCE_RATE_ALARM,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: `SES bounce rate above ${SES_BOUNCE_RATE_ALARM * 100} % (SES reviews the account at 5 %)`,
    });
    this.alarm('SesComplaintRate', rate('Reputation.ComplaintRate'), {
      threshold: SES_COMPLAINT_RATE_ALARM,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: `SES complaint rate above ${SES_COMPLAINT_RATE_ALARM * 100} % (SES reviews the account at 0.1 %)`,
    });
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    props: Pick<cloudwatch.AlarmProps, 'threshold' | 'comparisonOperator' | 'alarmDescription'>,
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      metric,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
  }
}
