/**
 * What AWS charges (docs/cost.md): list prices in us-east-1, USD, without any free tier (free
 * tiers belong to the account and are shared by every stage in it), each naming the page it comes
 * from; how every resource type of the templates is billed; the monthly price of a resource
 * billed by the month. The cost model (cost-model.ts) prices templates with these.
 */

export const PRICES_CHECKED = '2026-12-06';

/** Hours AWS bills a month by (aws.amazon.com/calculator's convention). */
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  // aws.amazon.com/api-gateway/pricing/: HTTP APIs, first 300 million requests a month (per 512 KB).
  httpApiPerRequest: 1.0 / 1e6,
  // aws.amazon.com/lambda/pricing/: requests; duration on Arm (first 7.5 billion GB-s a month),
  // billed per 1 ms. INIT is billed like duration since 2025-08-01 (the Lambda pricing page).
  lambdaPerRequest: 0.2 / 1e6,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaX86PerGbSecond: 0.0000166667,
  // aws.amazon.com/dynamodb/pricing/on-demand/: on-demand after the 2024-11-01 price cut.
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
  dynamoStoragePerGbMonth: 0.25,
  dynamoPitrPerGbMonth: 0.2,
  // aws.amazon.com/step-functions/pricing/: Standard per state transition; Express per request
  // and per GB-second (first 1,000 hours), memory in 64 MB steps, duration in 100 ms steps.
  sfnStandardPerTransition: 0.025 / 1000,
  sfnExpressPerRequest: 1.0 / 1e6,
  sfnExpressPerGbSecond: 0.00001667,
  // aws.amazon.com/eventbridge/pricing/: custom events published, per 64 KB chunk. Scheduled
  // rules and matching cost nothing; archive: per GB archived and per GB-month stored.
  eventBridgePerEvent: 1.0 / 1e6,
  eventArchivePerGbMonth: 0.1,
  // aws.amazon.com/cloudwatch/pricing/: standard-resolution alarm per metric, high resolution
  // (period under 60 s), composite alarm, dashboard; Logs ingestion (standard class) and storage.
  alarmPerMetricMonth: 0.1,
  alarmHighResolutionPerMetricMonth: 0.3,
  compositeAlarmMonth: 0.5,
  dashboardMonth: 3.0,
  logsIngestionPerGb: 0.5,
  logsStoragePerGbMonth: 0.03,
  // aws.amazon.com/secrets-manager/pricing/
  secretMonth: 0.4,
  // aws.amazon.com/kms/pricing/: customer managed key (AWS managed keys have no monthly fee).
  kmsKeyMonth: 1.0,
  // aws.amazon.com/systems-manager/pricing/: Parameter Store, advanced parameter (standard: free).
  ssmAdvancedParameterMonth: 0.05,
  // aws.amazon.com/route53/pricing/
  hostedZoneMonth: 0.5,
  // aws.amazon.com/xray/pricing/: traces recorded.
  xrayPerTrace: 5.0 / 1e6,
  // aws.amazon.com/sns/pricing/ and aws.amazon.com/sqs/pricing/: per request (standard).
  snsPerRequest: 0.5 / 1e6,
  sqsPerRequest: 0.4 / 1e6,
  // aws.amazon.com/ses/pricing/: outbound mail (not part of an API call or of idle).
  sesPer1000Emails: 0.1,
} as const;

/**
 * Every resource type the templates may hold, and how it is billed. `month`: a fixed price per
 * month as long as it exists (priced in monthlyResourceCost). `use`: billed only by use (requests,
 * GB, MAU): nothing at idle beyond storage. `free`: never billed. A type missing here is unknown,
 * and the infra test fails until someone decides which it is.
 */
export const RESOURCE_BILLING: Readonly<Record<string, 'month' | 'use' | 'free'>> = {
  'AWS::CloudWatch::Alarm': 'month',
  'AWS::CloudWatch::CompositeAlarm': 'month',
  'AWS::CloudWatch::Dashboard': 'month',
  'AWS::SecretsManager::Secret': 'month',
  'AWS::KMS::Key': 'month',
  'AWS::SSM::Parameter': 'month',
  'AWS::Route53::HostedZone': 'month',
  'AWS::DynamoDB::Table': 'use',
  'AWS::Lambda::Function': 'use',
  'AWS::Lambda::EventSourceMapping': 'use',
  'AWS::Logs::LogGroup': 'use',
  'AWS::ApiGatewayV2::Api': 'use',
  'AWS::ApiGatewayV2::Stage': 'use',
  'AWS::StepFunctions::StateMachine': 'use',
  'AWS::Events::EventBus': 'use',
  'AWS::Events::Archive': 'use',
  'AWS::Events::Rule': 'use',
  'AWS::SQS::Queue': 'use',
  'AWS::SNS::Topic': 'use',
  'AWS::Cognito::UserPool': 'use',
  'AWS::SES::ConfigurationSet': 'use',
  // Storage and requests only: an empty bucket costs nothing; received mail is billed per message by SES and per GB stored.
  'AWS::S3::Bucket': 'use',
  'AWS::SES::ReceiptRuleSet': 'use',
  'AWS::SES::ReceiptRule': 'free',
  'AWS::S3::BucketPolicy': 'free',
  // CDK's provider that empties a dev-like stage's bucket on delete: runs only then.
  'Custom::S3AutoDeleteObjects': 'free',
  'AWS::Cognito::UserPoolClient': 'free',
  'AWS::Cognito::UserPoolGroup': 'free',
  'AWS::SES::ConfigurationSetEventDestination': 'free',
  'AWS::IAM::Role': 'free',
  'AWS::IAM::Policy': 'free',
  'AWS::IAM::ManagedPolicy': 'free',
  'AWS::Lambda::Permission': 'free',
  'AWS::Lambda::EventInvokeConfig': 'free',
  'AWS::ApiGatewayV2::Integration': 'free',
  'AWS::ApiGatewayV2::Route': 'free',
  'AWS::ApiGatewayV2::Authorizer': 'free',
  'AWS::SQS::QueuePolicy': 'free',
  'AWS::SNS::TopicPolicy': 'free',
  'AWS::SNS::Subscription': 'free',
  'AWS::CDK::Metadata': 'free',
};

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** The monthly price of one resource billed by the month (0 for `use` and `free` types). */
export function monthlyResourceCost(resource: CfnResource): number {
  const p = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::CloudWatch::Alarm': {
      // Priced per metric the alarm evaluates: a metric-math alarm pays for each metric it reads.
      const metrics = Array.isArray(p.Metrics) ? (p.Metrics as { MetricStat?: { Period?: number } }[]).filter((m) => m.MetricStat) : [];
      const periods = metrics.length > 0 ? metrics.map((m) => m.MetricStat?.Period ?? 60) : [typeof p.Period === 'number' ? p.Period : 60];
      return periods.reduce((sum, period) => sum + (period < 60 ? PRICES.alarmHighResolutionPerMetricMonth : PRICES.alarmPerMetricMonth), 0);
    }
    case 'AWS::CloudWatch::CompositeAlarm':
      return PRICES.compositeAlarmMonth;
    case 'AWS::CloudWatch::Dashboard':
      return PRICES.dashboardMonth;
    case 'AWS::SecretsManager::Secret':
      return PRICES.secretMonth;
    case 'AWS::KMS::Key':
      return PRICES.kmsKeyMonth;
    case 'AWS::SSM::Parameter':
      return p.Tier === 'Advanced' ? PRICES.ssmAdvancedParameterMonth : 0;
    case 'AWS::Route53::HostedZone':
      return PRICES.hostedZoneMonth;
    default:
      if (RESOURCE_BILLING[resource.Type] === 'month') throw new Error(`${resource.Type} is billed by the month but has no price in monthlyResourceCost`);
      return 0;
  }
}
