import { type CfnResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../events/envelope';
import { SES_DETAIL_TYPES, SES_EVENT_SOURCE } from '../../events/ses-email-event';
import { sesTemplatePrefix } from '../../shared/templates/email-template';
import { ENV } from '../../shared/runtime-env';
import { ASYNC_TARGET_DELIVERY, DeadLetterQueue } from '../constructs/dead-letter-queue';
import type { CrmFunction } from '../constructs/crm-function';
import { METADATA } from '../metadata';
import { DomainStack, type DomainStackProps } from './domain-stack';

export type MarketingFunctionName =
  | 'createTemplate'
  | 'listTemplates'
  | 'getTemplate'
  | 'updateTemplate'
  | 'previewTemplate'
  | 'createSegment'
  | 'listSegments'
  | 'getSegment'
  | 'previewSegment'
  | 'getMarketingSettings'
  | 'putMarketingSettings';

/** Marketing (docs/marketing.md): email templates (kept in SES too) and segments. */
export class MarketingStack extends DomainStack {
  readonly functions: Readonly<Record<MarketingFunctionName | ConsentFunctionName | AutomationFunctionName, CrmFunction>>;
  /** Where SES events land when RecordSesEvent failed every retry. */
  readonly sesEventsDlq: DeadLetterQueue;
  /** Where domain events land when DispatchAutomations failed every retry, and missed marketing-due runs. */
  readonly automationDlqs: { dispatchAutomations: DeadLetterQueue; runDueMarketing: DeadLetterQueue };

  constructor(scope: Construct, id: string, props: MarketingStackProps) {
    super(scope, id, props);
    const { table } = props;
    // Template writers also create and update the stage's SES templates, nothing else in SES.
    const sesTemplateWrites = new iam.PolicyStatement({
      actions: ['ses:CreateEmailTemplate', 'ses:UpdateEmailTemplate'],
      resources: [this.formatArn({ service: 'ses', resource: 'template', resourceName: `${sesTemplatePrefix(this.config.stage)}*` })],
    });
    const createTemplate = this.fn('CreateTemplate', 'functions/templates/create-template.ts').grantTable(table, 'readWrite');
    createTemplate.addToRolePolicy(sesTemplateWrites);
    const listTemplates = this.fn('ListTemplates', 'functions/templates/list-templates.ts').grantTable(table, 'read');
    const getTemplate = this.fn('GetTemplate', 'functions/templates/get-template.ts').grantTable(table, 'read');
    const updateTemplate = this.fn('UpdateTemplate', 'functions/templates/update-template.ts').grantTable(table, 'readWrite');
    updateTemplate.addToRolePolicy(sesTemplateWrites);
    const previewTemplate = this.fn('PreviewTemplate', 'functions/templates/preview-template.ts').grantTable(table, 'read');
    const createSegment = this.fn('CreateSegment', 'functions/segments/create-segment.ts').grantTable(table, 'readWrite');
    const listSegments = this.fn('ListSegments', 'functions/segments/list-segments.ts').grantTable(table, 'read');
    const getSegment = this.fn('GetSegment', 'functions/segments/get-segment.ts').grantTable(table, 'read');
    // Reads up to 5,000 index items per preview (docs/marketing.md): more time than a single read.
    const previewSegment = this.fn('PreviewSegment', 'functions/segments/preview-segment.ts', Duration.seconds(29)).grantTable(table, 'read');
    const getMarketingSettings = this.fn('GetMarketingSettings', 'functions/consent/get-marketing-settings.ts').grantTable(table, 'read');
    const putMarketingSettings = this.fn('PutMarketingSettings', 'functions/consent/put-marketing-settings.ts').grantTable(table, 'readWrite');
    this.sesEventsDlq = new DeadLetterQueue(this, 'RecordSesEventDlq');
    const consent = this.consentAndSesEvents(props, this.sesEventsDlq);
    const automations = this.automations(props);
    this.automationDlqs = automations.deadLetterQueues;
    this.functions = {
      ...consent.functions,
      ...automations.functions,
      createTemplate, listTemplates, getTemplate, updateTemplate, previewTemplate, createSegment, listSegments, getSegment, previewSegment,
      getMarketingSettings, putMarketingSettings,
    };

    this.wire(this.functions, {
      ...consent.routes,
      ...automations.routes,
      CreateTemplate: createTemplate,
      ListTemplates: listTemplates,
      GetTemplate: getTemplate,
      UpdateTemplate: updateTemplate,
      PreviewTemplate: previewTemplate,
      CreateSegment: createSegment,
      ListSegments: listSegments,
      GetSegment: getSegment,
      PreviewSegment: previewSegment,
      GetMarketingSettings: getMarketingSettings,
      PutMarketingSettings: putMarketingSettings,
    }, [this.sesEventsDlq, ...Object.values(this.automationDlqs)]);
  }

  /**
   * Unsubscribe links, the suppression list and the SES events consumer (docs/marketing.md,
   * "Consent, unsubscribe and suppression", "SES events").
   */
  private consentAndSesEvents(props: MarketingStackProps, sesEventsDlq: DeadLetterQueue) {
    const { table } = props;
    // The public unsubscribe routes read the signing secret (Secrets Manager), once per container.
    const withSecret = (fnId: string, entry: string) => {
      const f = this.fn(fnId, entry);
      props.unsubscribeSecret.grantRead(f);
      f.addEnvironment(ENV.unsubscribeSecretArn, props.unsubscribeSecret.secretArn);
      return f;
    };
    // The confirmation page only verifies the token: no table access at all.
    const showUnsubscribe = withSecret('ShowUnsubscribe', 'functions/consent/show-unsubscribe.ts');
    const unsubscribe = withSecret('Unsubscribe', 'functions/consent/unsubscribe.ts').grantTable(table, 'readWrite');
    const listSuppressions = this.fn('ListSuppressions', 'functions/consent/list-suppressions.ts').grantTable(table, 'read');
    const addSuppression = this.fn('AddSuppression', 'functions/consent/add-suppression.ts').grantTable(table, 'readWrite');
    const removeSuppression = this.fn('RemoveSuppression', 'functions/consent/remove-suppression.ts').grantTable(table, 'readWrite');

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
    return {
      functions: { showUnsubscribe, unsubscribe, listSuppressions, addSuppression, removeSuppression, recordSesEvent },
      routes: {
        ShowUnsubscribe: showUnsubscribe,
        Unsubscribe: unsubscribe,
        ListSuppressions: listSuppressions,
        AddSuppression: addSuppression,
        RemoveSuppression: removeSuppression,
      },
    };
  }

  /**
   * Event-triggered automations (docs/marketing.md, "Automations"): the API, ONE rule on the CRM
   * bus that routes every domain event to the dispatcher (the tenants' patterns are matched there,
   * so their number never meets the per-bus rule limit), and the marketing-due sweep every minute
   * for delayed and retried sends.
   */
  private automations(props: MarketingStackProps) {
    const { table, config } = props;
    const createAutomation = this.fn('CreateAutomation', 'functions/automations/create-automation.ts').grantTable(table, 'readWrite');
    const listAutomations = this.fn('ListAutomations', 'functions/automations/list-automations.ts').grantTable(table, 'read');
    const getAutomation = this.fn('GetAutomation', 'functions/automations/get-automation.ts').grantTable(table, 'read');
    const updateAutomation = this.fn('UpdateAutomation', 'functions/automations/update-automation.ts').grantTable(table, 'readWrite');
    const deleteAutomation = this.fn('DeleteAutomation', 'functions/automations/delete-automation.ts').grantTable(table, 'readWrite');

    // SendEmail with a stored template is authorized on the template too, not only on the sender and the configuration set.
    const sendWithTemplates = new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [this.formatArn({ service: 'ses', resource: 'template', resourceName: `${sesTemplatePrefix(config.stage)}*` })],
    });
    // Both mail customers: table, SES through the configuration set, the unsubscribe signing secret,
    // the API's URL for the links, and the account's send rate they share with campaigns.
    const sender = (fnId: string, entry: string) => {
      const f = this.fn(fnId, entry, Duration.seconds(60)).grantTable(table, 'readWrite').grantSendEmail(props.configurationSet, config.mailFrom);
      f.addToRolePolicy(sendWithTemplates);
      props.unsubscribeSecret.grantRead(f);
      f.addEnvironment(ENV.unsubscribeSecretArn, props.unsubscribeSecret.secretArn);
      f.addEnvironment(ENV.apiBaseUrl, props.httpApi.api.apiEndpoint);
      f.addEnvironment(ENV.sesMaxSendRate, String(config.sesMaxSendRate));
      return f;
    };
    const asyncTarget = (f: CrmFunction, dlq: DeadLetterQueue) => {
      // Lambda's own async retries park in the same queue: a handler that keeps failing is kept, not dropped.
      f.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(dlq) });
      return new targets.LambdaFunction(f, { deadLetterQueue: dlq, ...ASYNC_TARGET_DELIVERY });
    };

    const dispatchAutomations = sender('DispatchAutomations', 'functions/automations/dispatch-automations.ts');
    const dispatchDlq = new DeadLetterQueue(this, 'DispatchAutomationsDlq');
    new events.Rule(this, 'DomainEventsToDispatchAutomations', {
      eventBus: props.bus,
      description: "Evaluates the tenant's marketing automations against every CRM domain event",
      eventPattern: { source: [EVENT_SOURCE] },
      targets: [asyncTarget(dispatchAutomations, dispatchDlq)],
    });

    const runDueMarketing = sender('RunDueMarketing', 'functions/automations/run-due-marketing.ts');
    const dueDlq = new DeadLetterQueue(this, 'RunDueMarketingDlq');
    const schedule = new events.Rule(this, 'MarketingDueSchedule', {
      description: 'Handles due marketing work every minute: delayed automation sends and sends to retry',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [asyncTarget(runDueMarketing, dueDlq)],
    });
    (schedule.node.defaultChild as CfnResource).addMetadata(METADATA.schedule, 'marketing-due');

    return {
      functions: { createAutomation, listAutomations, getAutomation, updateAutomation, deleteAutomation, dispatchAutomations, runDueMarketing },
      routes: {
        CreateAutomation: createAutomation,
        ListAutomations: listAutomations,
        GetAutomation: getAutomation,
        UpdateAutomation: updateAutomation,
        DeleteAutomation: deleteAutomation,
      },
      deadLetterQueues: { dispatchAutomations: dispatchDlq, runDueMarketing: dueDlq },
    };
  }
}

type AutomationFunctionName =
  | 'createAutomation'
  | 'listAutomations'
  | 'getAutomation'
  | 'updateAutomation'
  | 'deleteAutomation'
  | 'dispatchAutomations'
  | 'runDueMarketing';

type ConsentFunctionName = 'showUnsubscribe' | 'unsubscribe' | 'listSuppressions' | 'addSuppression' | 'removeSuppression' | 'recordSesEvent';

export interface MarketingStackProps extends DomainStackProps {
  /** Signs unsubscribe links (the stateful stack's). */
  readonly unsubscribeSecret: ISecret;
}
