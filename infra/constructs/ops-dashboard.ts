import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OpsDashboardProps {
  readonly stage: string;
  readonly api: HttpApi;
  readonly table: ITable;
  readonly outboxPublisher: lambda.IFunction;
  readonly flows: Readonly<Record<string, sfn.IStateMachine>>;
  /** The EMF namespace of the business metrics (dimensions `service`, `stage`). */
  readonly businessMetricsNamespace: string;
}

const PERIOD = Duration.minutes(5);

/**
 * One CloudWatch dashboard per stage (`crm-<stage>`), the page an operator opens first: the API's
 * traffic and errors, every function of the stage, the outbox lag, the table, the flows,
 * mail, and the business metrics. Functions are found by a SEARCH on the stage's stack names (their
 * generated names start with `crm-<stage>-`), so the domain stacks need no reference here.
 */
export class OpsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OpsDashboardProps) {
    super(scope, id);
    const { stage, api, table } = props;
    const stageFunctions = (metricName: string, statistic: string) =>
      new cloudwatch.MathExpression({
        // Tokens of generated names: crm-<stage>-<stack>-<Id>-<suffix>.
        expression: `SEARCH('{AWS/Lambda,FunctionName} MetricName="${metricName}" crm ${stage.split('-').join(' ')}', '${statistic}', ${PERIOD.toSeconds()})`,
        label: '',
        period: PERIOD,
      });
    const sum = { period: PERIOD, statistic: 'Sum' };
    const ses = (metricName: string, statistic = 'Sum') => new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, period: PERIOD, statistic });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `crm-${stage}`,
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'API requests and errors',
            left: [api.metricCount(sum), api.metricClientError(sum), api.metricServerError(sum)],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'API latency (ms)',
            left: [api.metricLatency({ period: PERIOD, statistic: 'p50' }), api.metricLatency({ period: PERIOD, statistic: 'p99' })],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Function errors (per function)', left: [stageFunctions('Errors', 'Sum')], width: 8, legendPosition: cloudwatch.LegendPosition.HIDDEN }),
          new cloudwatch.GraphWidget({ title: 'Function throttles', left: [stageFunctions('Throttles', 'Sum')], width: 8, legendPosition: cloudwatch.LegendPosition.HIDDEN }),
          new cloudwatch.GraphWidget({ title: 'Function duration p99 (ms)', left: [stageFunctions('Duration', 'p99')], width: 8, legendPosition: cloudwatch.LegendPosition.HIDDEN }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Outbox lag: oldest unpublished change (ms)',
            left: [props.outboxPublisher.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' })],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Table capacity consumed',
            left: [table.metricConsumedReadCapacityUnits(sum), table.metricConsumedWriteCapacityUnits(sum)],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Table throttles',
            left: [table.metric('ReadThrottleEvents', sum), table.metric('WriteThrottleEvents', sum)],
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Flows: executions',
            left: Object.entries(props.flows).flatMap(([name, flow]) => [
              flow.metricStarted({ ...sum, label: `${name} started` }),
              flow.metricFailed({ ...sum, label: `${name} failed` }),
              flow.metricTimedOut({ ...sum, label: `${name} timed out` }),
            ]),
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Mail (account-wide)',
            left: [ses('Send'), ses('Delivery'), ses('Bounce'), ses('Complaint')],
            right: [ses('Reputation.BounceRate', 'Maximum'), ses('Reputation.ComplaintRate', 'Maximum')],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Business: what the CRM did (per hour)',
            left: [
              new cloudwatch.MathExpression({
                expression: `SEARCH('{${props.businessMetricsNamespace},service,stage} stage="${stage}"', 'Sum', 3600)`,
                label: '',
                period: Duration.hours(1),
              }),
            ],
            width: 24,
          }),
        ],
      ],
    });
  }
}
