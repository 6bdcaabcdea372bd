import { type CfnResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../events/envelope';
import { SES_DETAIL_TYPES, SES_EVENT_SOURCE } from '../../events/ses/ses-email-event';
import { sesTemplatePrefix } from '../../shared/templates/email-template';
import { ENV } from '../../shared/runtime-env';
import { ASYNC_TARGET_DELIVERY, DeadLetterQueue } from '../constructs/dead-letter-queue';
import type { CrmFunction } from '../constructs/crm-function';
import { METADATA } from '../metadata';
import { DomainStack, type DomainStackProps } from './domain-stack';
import type { UnsubscribeKey } from '../constructs/unsubscribe-key';

/**
 * Marketing (docs/marketing.md): the rows of api/routes/{templates,segments,consent,automations}.ts,
 * the SES events consumer, and the automations' dispatcher and marketing-due sweep.
 */
export class MarketingStack extends DomainStack {
  /** The functions that are not routes. */
  readonly functions: Readonly<Record<MarketingFunctionName, CrmFunction>>;
  /** Where SES events land when RecordSesEvent failed every retry. */
  readonly sesEventsDlq: DeadLetterQueue;
  /** Where domain events land when DispatchAutomations failed every retry, and missed marketing-due runs. */
  readonly automationDlqs: { dispatchAutomations: DeadLetterQueue; runDueMarketing: DeadLetterQueue };

  constructor(scope: Construct, id: string, props: MarketingStackProps) {
    super(scope, id, props, 'marketing');
    this.sesEventsDlq = new DeadLetterQueue(this, 'RecordSesEventDlq');
    const recordSesEvent = this.sesEvents(props, this.sesEventsDlq);
    const automations = this.automations(props);
    this.automationDlqs = automations.deadLetterQueues;
    this.functions = { recordSesEvent, ...automations.functions };
    this.wire(this.functions, [this.sesEventsDlq, ...Object.values(this.automationDlqs)], { unsubscribeSecret: props.unsubscribeSecret });
  }

  /** The SES events consumer (docs/marketing.md, "SES events"). */
  private sesEvents(props: MarketingStackProps, sesEventsDlq: DeadLetterQueue): CrmFunction {
    const { table } = props;
    // SES publishes configuration-set events only to the default bus. The pattern keeps to this
    // stage's configuration set: stages sharing an account see each other's SES events there.
    const recordSesEvent = this.fn('RecordSesEvent', 'functions/ses-events/record-ses-event.ts').grantTable(table, 'readWrite');
    recordSesEvent.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(sesEventsDlq) });
    new events.Rule(this, 'SesEventsToRecordSesEvent', {
      eventBus: events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      description: 'Suppresses hard bounces and complaints, notes mail events on the timeline',
      eventPattern: {
        source: [SES_EVENT_SOURCE],
        detailType: Object.values(SES_DETAIL_TYPES),
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSet.configurationSetName] } } },
      },
      targets: [new targets.LambdaFunction(recordSesEvent, { deadLetterQueue: sesEventsDlq, ...ASYNC_TARGET_DELIVERY })],
    });
    return recordSesEvent;
  }

  /**
   * Event-triggered automations (docs/marketing.md, "Automations"; their API is rows of the route
   * table): ONE rule on the CRM bus that routes every domain event to the dispatcher (the tenants'
   * patterns are matched there, so their number never meets the per-bus rule limit), and the
   * marketing-due sweep every minute for delayed and retried sends.
   */
  private automations(props: MarketingStackProps) {
    const { table, config } = props;
    // SendEmail with a stored template is authorized on the template too, not only on the sender and the configuration set.
    const sendWithTemplates = new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [this.formatArn({ service: 'ses', resource: 'template', resourceName: `${sesTemplatePrefix(config.stage)}*` })],
    });
    // Both mail customers: table, SES through the configuration set, the unsubscribe signing secret,
    // the API's URL for the links, and the account's send rate they share with campaigns.
    const sender = (fnId: string, entry: string, tracing?: Tracing) => {
      const f = this.fn(fnId, entry, Duration.seconds(60), tracing).grantTable(table, 'readWrite').grantSendEmail(props.configurationSet, config.mailFrom);
      f.addToRolePolicy(sendWithTemplates);
      props.unsubscribeSecret.grantReadCreate(f);
      f.addEnvironment(ENV.apiBaseUrl, props.httpApi.api.apiEndpoint);
      f.addEnvironment(ENV.sesMaxSendRate, String(config.sesMaxSendRate));
      return f;
    };
    const asyncTarget = (f: CrmFunction, dlq: DeadLetterQueue) => this.asyncTarget(f, dlq);

    const dispatchAutomations = sender('DispatchAutomations', 'functions/automations/dispatch-automations.ts');
    const dispatchDlq = new DeadLetterQueue(this, 'DispatchAutomationsDlq');
    new events.Rule(this, 'DomainEventsToDispatchAutomations', {
      eventBus: props.bus,
      description: "Evaluates the tenant's marketing automations against every CRM domain event",
      eventPattern: { source: [EVENT_SOURCE] },
      targets: [asyncTarget(dispatchAutomations, dispatchDlq)],
    });

    // Runs every minute and nearly always finds nothing: traced, its one-span runs would cost
    // $0.22 a month per stage in X-Ray traces, twice what a dev-like stage may cost at idle
    // (docs/decisions.md, 57). Its logs, errors alarm and DLQ stay.
    const runDueMarketing = sender('RunDueMarketing', 'functions/automations/run-due-marketing.ts', Tracing.PASS_THROUGH);
    const dueDlq = new DeadLetterQueue(this, 'RunDueMarketingDlq');
    const schedule = new events.Rule(this, 'MarketingDueSchedule', {
      description: 'Handles due marketing work every minute: delayed automation sends and sends to retry',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [asyncTarget(runDueMarketing, dueDlq)],
    });
    (schedule.node.defaultChild as CfnResource).addMetadata(METADATA.schedule, 'marketing-due');

    return {
      functions: { dispatchAutomations, runDueMarketing },
      deadLetterQueues: { dispatchAutomations: dispatchDlq, runDueMarketing: dueDlq },
    };
  }
}

/** The functions that are not routes: the SES events consumer and the automations' two senders. */
export type MarketingFunctionName = 'recordSesEvent' | 'dispatchAutomations' | 'runDueMarketing';

export interface MarketingStackProps extends DomainStackProps {
  /** Signs unsubscribe links. */
  readonly unsubscribeSecret: UnsubscribeKey;
}
