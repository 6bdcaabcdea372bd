import { CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DEAL_SK_PREFIX, OUTBOX_SK_PREFIX } from '../../shared/keys';
import { CrmFunction } from '../constructs/crm-function';
import { CrmHttpApi } from '../constructs/crm-http-api';
import type { UnsubscribeKey } from '../constructs/unsubscribe-key';
import { ENV } from '../../shared/runtime-env';
import { sesTemplatePrefix } from '../../shared/templates/ses-template-name';
import { bookTransferRequestedV1 } from '../../events/user-book-transfer-requested.v1';
import { ASYNC_TARGET_DELIVERY, DeadLetterQueue } from '../constructs/dead-letter-queue';
import { SES_EVENT_SOURCE } from '../../events/ses/ses-email-event';
import { TIMELINE_EVENT_DETAIL_TYPES } from '../../shared/activities/timeline-entries';
import { BUSINESS_METRIC_DETAIL_TYPES, BUSINESS_METRICS_NAMESPACE, SES_SENT_DETAIL_TYPE } from '../../shared/stats/business-metrics';
import { OpsAlarms } from '../constructs/ops-alarms';
import { OpsDashboard } from '../constructs/ops-dashboard';
import { ReclaimFlow } from '../constructs/reclaim-flow';
import { createRouteFunctions, type RoutedFunction } from '../constructs/route-functions';
import { WelcomeFlow } from '../constructs/welcome-flow';
import type { StageConfig } from '../stage-config';

export interface StatelessStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly bus: events.IEventBus;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly configurationSet: IConfigurationSet;
  /** The welcome mail is a marketing mail: its unsubscribe link is signed with the stage's link secret. */
  readonly unsubscribeSecret: UnsubscribeKey;
}

/** The functions that are not routes (the routes' are `routeFunctions`). */
export type StatelessFunctionName =
  | 'publishOutboxEvents'
  | 'countDailyEvents'
  | 'sendWelcomeEmail'
  | 'findDueCustomers'
  | 'evaluateCustomer'
  | 'sendReclaimDigests'
  | 'rescheduleReclaimChecks'
  | 'recordBusinessMetrics'
  | 'indexSearchEntries'
  | 'recordTimelineEntry'
  | 'runBookTransfer'
  | 'routeNotFound';

/** The dead-letter queues, by the asynchronous consumer whose failures they hold. */
export type DeadLetterQueueName =
  | 'publishOutboxEvents'
  | 'countDailyEvents'
  | 'welcomeFlow'
  | 'reclaimFlow'
  | 'rescheduleReclaimChecks'
  | 'recordBusinessMetrics'
  | 'indexSearchEntries'
  | 'recordTimelineEntry'
  | 'runBookTransfer';

const CUSTOMER_CREATED: events.EventPattern = { source: ['crm'], detailType: ['crm.customer.created.v1'] };

/**
 * The HTTP API with the functions of the rows of the route table that name this stack (health,
 * the API description, customers, privacy, timeline, contacts, custom fields, allocation, pools,
 * users), the outbox publisher, rules and flows: everything that can be replaced or destroyed and
 * redeployed without losing data. Other domains' functions live in their own stacks and add their
 * routes to this API (domain-stack.ts), so no stack nears CloudFormation's 500 resources.
 */
export class StatelessStack extends Stack {
  /** The functions that are not routes. */
  readonly functions: Readonly<Record<StatelessFunctionName, CrmFunction>>;
  /** The functions of this stack's rows of the route table. */
  readonly routeFunctions: readonly RoutedFunction[];
  readonly deadLetterQueues: Readonly<Record<DeadLetterQueueName, DeadLetterQueue>>;
  readonly httpApi: CrmHttpApi;
  readonly welcomeFlow: WelcomeFlow;
  readonly reclaimFlow: ReclaimFlow;
  /** Where every stack's alarms notify; absent when the stage has no alarms. */
  readonly alarmTopic?: ITopic;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Strong references (exports): CloudFormation then refuses to delete or replace a table, bus
    // or pool this stack still uses, which is the point of keeping state in its own stack.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, table, bus } = props;
    const fn = (fnId: string, entry: string, timeout?: Duration) => new CrmFunction(this, fnId, { entry, config, timeout });

    const publishOutboxEvents = fn('PublishOutboxEvents', 'functions/outbox/publish-outbox-events.ts').grantPutEvents(bus);
    const countDailyEvents = fn('CountDailyEvents', 'functions/stats/count-daily-events.ts').grantTable(table, 'readWrite');
    // A marketing mail like an automation's (infra/stacks/marketing-stack.ts): the tenant's stored
    // template, the signed unsubscribe link to the API, and the send rate shared with campaigns.
    const sendWelcomeEmail = fn('SendWelcomeEmail', 'functions/customers/send-welcome-email.ts')
      .grantTable(table, 'readWrite')
      .grantSendEmail(props.configurationSet, config.mailFrom);
    sendWelcomeEmail.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: [this.formatArn({ service: 'ses', resource: 'template', resourceName: `${sesTemplatePrefix(config.stage)}*` })] }),
    );
    props.unsubscribeSecret.grantReadCreate(sendWelcomeEmail);
    sendWelcomeEmail.addEnvironment(ENV.sesMaxSendRate, String(config.sesMaxSendRate));
    // The reclaim sweep's tasks (infra/constructs/reclaim-flow.ts); GSI2, the reclaim index, is among grantTable's indexes.
    const findDueCustomers = fn('FindDueCustomers', 'functions/allocation/find-due-customers.ts', Duration.seconds(30)).grantTable(table, 'read');
    const evaluateCustomer = fn('EvaluateCustomer', 'functions/allocation/evaluate-customer.ts').grantTable(table, 'readWrite');
    const sendReclaimDigests = fn('SendReclaimDigests', 'functions/allocation/send-reclaim-digests.ts', Duration.minutes(2))
      .grantTable(table, 'readWrite')
      .grantSendEmail(props.configurationSet, config.mailFrom);
    // Passes over a tenant's customers after a first pool or a policy change; it hands what is left after ~105 s to a continuation event.
    const rescheduleReclaimChecks = fn('RescheduleReclaimChecks', 'functions/allocation/reschedule-reclaim-checks.ts', Duration.minutes(2)).grantTable(table, 'readWrite');
    // Business metrics as EMF lines: no grant needed, the function's log group is the metrics' way in.
    const recordBusinessMetrics = fn('RecordBusinessMetrics', 'functions/stats/record-business-metrics.ts');
    // The search word index follows the table's stream (docs/search.md): profiles, contacts, deals, leads.
    const indexSearchEntries = fn('IndexSearchEntries', 'functions/search/index-search-entries.ts', Duration.minutes(1)).grantTable(table, 'readWrite');
    // The timeline consumer: one write-once entry per covered domain event (shared/activities/timeline-entries.ts).
    const recordTimelineEntry = fn('RecordTimelineEntry', 'functions/activities/record-timeline-entry.ts').grantTable(table, 'readWrite');
    // Book hand-overs (docs/allocation.md): minutes per invocation, continued by an event when it runs low.
    const runBookTransfer = fn('RunBookTransfer', 'functions/allocation/run-book-transfer.ts', Duration.minutes(5)).grantTable(table, 'readWrite');
    // The HTTP API's $default route: unknown routes answer 404 problem+json (docs/api.md, "Unknown routes").
    const routeNotFound = fn('RouteNotFound', 'functions/api/route-not-found.ts');
    this.functions = { publishOutboxEvents, countDailyEvents, sendWelcomeEmail, findDueCustomers, evaluateCustomer, sendReclaimDigests, rescheduleReclaimChecks, recordBusinessMetrics, indexSearchEntries, recordTimelineEntry, runBookTransfer, routeNotFound };
    this.routeFunctions = createRouteFunctions(this, 'stateless', { config, table, bus, configurationSet: props.configurationSet });

    this.httpApi = new CrmHttpApi(this, 'HttpApi', {
      config,
      userPool: props.userPool,
      userPoolClient: props.userPoolClient,
      routes: this.routeFunctions,
    });
    this.httpApi.addDefaultRoute(routeNotFound);
    sendWelcomeEmail.addEnvironment(ENV.apiBaseUrl, this.httpApi.api.apiEndpoint);

    // The outbox: a use case writes its change and an outbox ($EVT#) item in one transaction; this
    // publisher turns the item's INSERT into a bus event, so no event is lost after a commit.
    const outboxDlq = new DeadLetterQueue(this, 'PublishOutboxEventsDlq');
    tableStreamConsumer(publishOutboxEvents, table, outboxDlq, {
      eventName: lambda.FilterRule.isEqual('INSERT'),
      dynamodb: { Keys: { SK: { S: lambda.FilterRule.beginsWith(OUTBOX_SK_PREFIX) } } },
    });

    // The search indexer: every change of a record search finds (a profile, a contact, a deal; a
    // lead's profile) in stream order per customer, retried from the failed record, then parked.
    const searchDlq = new DeadLetterQueue(this, 'IndexSearchEntriesDlq');
    tableStreamConsumer(indexSearchEntries, table, searchDlq, {
      dynamodb: { Keys: { SK: { S: ['PROFILE', ...lambda.FilterRule.beginsWith('CONTACT#'), ...lambda.FilterRule.beginsWith(DEAL_SK_PREFIX)] } } },
    });

    // Lambda targets get the same queue for Lambda's own async retries, so a handler that keeps
    // failing after a successful delivery is parked too, not dropped.
    const countDlq = new DeadLetterQueue(this, 'CountDailyEventsDlq');
    countDailyEvents.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(countDlq) });
    new events.Rule(this, 'CustomerCreatedToCountDailyEvents', {
      eventBus: bus,
      description: 'Counts created customers per tenant and day',
      eventPattern: CUSTOMER_CREATED,
      targets: [new targets.LambdaFunction(countDailyEvents, { deadLetterQueue: countDlq, ...ASYNC_TARGET_DELIVERY })],
    });

    // One consumer turns business events into metrics (docs/operations.md): the domain events on the
    // CRM bus, and SES's "Email Sent" for this stage's configuration set on the default bus.
    const metricsDlq = new DeadLetterQueue(this, 'RecordBusinessMetricsDlq');
    recordBusinessMetrics.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(metricsDlq) });
    const metricsTarget = new targets.LambdaFunction(recordBusinessMetrics, { deadLetterQueue: metricsDlq, ...ASYNC_TARGET_DELIVERY });
    new events.Rule(this, 'BusinessEventsToRecordBusinessMetrics', {
      eventBus: bus,
      description: 'Counts customers created, claims, reclaims, leads captured, deals won and campaign outcomes as metrics',
      eventPattern: { source: ['crm'], detailType: [...BUSINESS_METRIC_DETAIL_TYPES] },
      targets: [metricsTarget],
    });
    new events.Rule(this, 'MailsSentToRecordBusinessMetrics', {
      eventBus: events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      description: 'Counts mails SES accepted for this stage as a metric',
      eventPattern: {
        source: [SES_EVENT_SOURCE],
        detailType: [SES_SENT_DETAIL_TYPE],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSet.configurationSetName] } } },
      },
      targets: [metricsTarget],
    });

    // The timeline sees every domain event about a customer that has a row (docs/events.md, "Consumers"):
    // the pattern is the rows' detail-types, so adding a row adds it here.
    const timelineDlq = new DeadLetterQueue(this, 'RecordTimelineEntryDlq');
    recordTimelineEntry.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(timelineDlq) });
    new events.Rule(this, 'DomainEventsToRecordTimelineEntry', {
      eventBus: bus,
      description: "Writes a customer's timeline entry for deals, changes of hands and opened tasks",
      eventPattern: { source: ['crm'], detailType: [...TIMELINE_EVENT_DETAIL_TYPES] },
      targets: [new targets.LambdaFunction(recordTimelineEntry, { deadLetterQueue: timelineDlq, ...ASYNC_TARGET_DELIVERY })],
    });

    this.welcomeFlow = new WelcomeFlow(this, 'WelcomeFlow', { config, sendWelcomeEmail });
    const welcomeDlq = new DeadLetterQueue(this, 'WelcomeFlowDlq');
    new events.Rule(this, 'CustomerCreatedToWelcomeFlow', {
      eventBus: bus,
      description: 'Starts the welcome flow for every created customer',
      eventPattern: CUSTOMER_CREATED,
      targets: [
        new targets.SfnStateMachine(this.welcomeFlow.stateMachine, { deadLetterQueue: welcomeDlq, ...ASYNC_TARGET_DELIVERY }),
      ],
    });
    this.reclaimFlow = new ReclaimFlow(this, 'ReclaimFlow', { config, findDueCustomers, evaluateCustomer, sendReclaimDigests });

    // The sweep drops checks it cannot act on (exempt, no pool); these events make it look again (docs/allocation.md).
    const rescheduleDlq = new DeadLetterQueue(this, 'RescheduleReclaimChecksDlq');
    rescheduleReclaimChecks.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(rescheduleDlq) });
    const rescheduleTarget = new targets.LambdaFunction(rescheduleReclaimChecks, { deadLetterQueue: rescheduleDlq, ...ASYNC_TARGET_DELIVERY });
    new events.Rule(this, 'FirstPoolCreatedToRescheduleReclaimChecks', {
      eventBus: bus,
      description: "Schedules the reclaim checks of a tenant's owned customers when its first pool is created",
      eventPattern: { source: ['crm'], detailType: ['crm.pool.created.v1'], detail: { data: { firstPool: [true] } } },
      targets: [rescheduleTarget],
    });
    new events.Rule(this, 'PoolPolicyChangedToRescheduleReclaimChecks', {
      eventBus: bus,
      description: "Reschedules the reclaim checks of a pool's customers when its policy changes; continues a pass that ran out of time",
      eventPattern: { source: ['crm'], detailType: ['crm.pool.policy-changed.v1', 'crm.reclaim.reschedule-continued.v1'] },
      targets: [rescheduleTarget],
    });
    const bookTransferDlq = new DeadLetterQueue(this, 'RunBookTransferDlq');
    runBookTransfer.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(bookTransferDlq) });
    new events.Rule(this, 'BookTransferToRunBookTransfer', {
      eventBus: bus,
      description: "Hands a user's book over, customer by customer; continues a hand-over that ran low on time",
      eventPattern: { source: ['crm'], detailType: [bookTransferRequestedV1.detailType] },
      targets: [new targets.LambdaFunction(runBookTransfer, { deadLetterQueue: bookTransferDlq, ...ASYNC_TARGET_DELIVERY })],
    });
    this.deadLetterQueues = {
      publishOutboxEvents: outboxDlq,
      countDailyEvents: countDlq,
      welcomeFlow: welcomeDlq,
      reclaimFlow: this.reclaimFlow.deadLetterQueue,
      rescheduleReclaimChecks: rescheduleDlq,
      recordBusinessMetrics: metricsDlq,
      indexSearchEntries: searchDlq,
      recordTimelineEntry: timelineDlq,
      runBookTransfer: bookTransferDlq,
    };

    if (config.alarms) {
      const alarms = new OpsAlarms(this, 'Alarms', { removalPolicy: config.removalPolicy, email: config.alarmEmail });
      for (const f of [...this.routeFunctions.map((r) => r.fn), ...Object.values(this.functions)]) alarms.watchFunction(f, f.node.id);
      for (const q of Object.values(this.deadLetterQueues)) alarms.watchDeadLetterQueue(q, q.node.id);
      alarms.watchHttpApi(this.httpApi.api, 'HttpApi');
      alarms.watchStateMachine(this.welcomeFlow.stateMachine, 'WelcomeFlow');
      alarms.watchStateMachine(this.reclaimFlow.stateMachine, 'ReclaimFlow');
      alarms.watchStreamLag(publishOutboxEvents, 'OutboxPublisher');
      alarms.watchStreamLag(indexSearchEntries, 'SearchIndexer');
      alarms.watchTable(table, 'Table');
      alarms.watchLambdaThrottles();
      alarms.watchMailReputation();
      this.alarmTopic = alarms.topic;
    }

    if (config.dashboard) new OpsDashboard(this, 'Dashboard', {
      stage: config.stage,
      api: this.httpApi.api,
      table,
      outboxPublisher: publishOutboxEvents,
      flows: { welcome: this.welcomeFlow.stateMachine, reclaim: this.reclaimFlow.stateMachine },
      businessMetricsNamespace: BUSINESS_METRICS_NAMESPACE,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url });
  }
}

/**
 * A consumer of the table's stream, in stream order per partition: from the oldest record kept
 * (TRIM_HORIZON, so a new consumer starts with what is there), retried from the failed record
 * (batch item failures, bisected), then parked in `dlq` after a day or ten attempts.
 */
function tableStreamConsumer(fn: lambda.IFunction, table: ITable, dlq: DeadLetterQueue, filter: Record<string, unknown>): void {
  fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      bisectBatchOnError: true,
      retryAttempts: 10,
      maxRecordAge: Duration.days(1),
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(dlq),
      filters: [lambda.FilterCriteria.filter(filter)],
    }),
  );
}
