import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OpsAlarmsProps {
  readonly removalPolicy: RemovalPolicy;
  /** The topic to notify; without one, a new encrypted topic (the API stack's; domain stacks pass it on). */
  readonly topic?: sns.ITopic;
}

const PERIOD = Duration.minutes(5);

/**
 * Alarms that page on anything an operator must act on: a function failing, an event parked in
 * a dead-letter queue, the API answering 5xx. They all notify one encrypted SNS topic.
 */
export class OpsAlarms extends Construct {
  readonly topic: sns.ITopic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
    this.topic = props.topic ?? OpsAlarms.encryptedTopic(this, props.removalPolicy);
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
