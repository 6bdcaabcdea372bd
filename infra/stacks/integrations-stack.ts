import { type CfnResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../events/envelope';
import { webhookDisabledV1 } from '../../events/webhooks/webhook-disabled.v1';
import { exportRequestedV1 } from '../../events/exports/export-requested.v1';
import { WEBHOOK_SWEEP_MINUTES } from '../../shared/webhooks/webhook-dispatch-use-case';
import { CrmFunction } from '../constructs/crm-function';
import { ImportFlow } from '../constructs/import-flow';
import { grantFiles } from '../constructs/route-functions';
import { filesBucketName } from './stateful-stack';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { METADATA } from '../metadata';
import { DomainStack, type DomainStackProps } from './domain-stack';

/**
 * Integrations (docs/integrations.md): webhooks, the rows of api/routes/integrations/webhooks.ts, plus the
 * dispatcher that delivers every matching CRM event and the sweep that retries what failed. Its
 * own stack, as each domain has (docs/decisions.md, 43); exports (RunExport) and CSV imports (their flow) too.
 */
export class IntegrationsStack extends DomainStack {
  /** The functions that are not routes. */
  readonly functions: Readonly<Record<IntegrationsFunctionName, CrmFunction>>;
  /** Where events and sweep runs land when their function failed every retry. */
  readonly deadLetterQueues: Readonly<Record<Exclude<IntegrationsFunctionName, ImportStepName>, DeadLetterQueue>>;
  readonly importFlow: ImportFlow;

  constructor(scope: Construct, id: string, props: IntegrationsStackProps) {
    super(scope, id, props, 'integrations');
    const { table, bus } = props;
    const filesBucket = s3.Bucket.fromBucketName(this, 'FilesBucket', filesBucketName(this.config.stage));

    // Every CRM domain event, matched against the tenant's webhooks; a first attempt at once.
    const dispatchWebhooks = this.fn('DispatchWebhooks', 'functions/webhooks/dispatch-webhooks.ts', Duration.seconds(60)).grantTable(table, 'readWrite');
    const dispatchDlq = new DeadLetterQueue(this, 'DispatchWebhooksDlq');
    const dispatchRule = new events.Rule(this, 'DomainEventsToDispatchWebhooks', {
      eventBus: bus,
      description: "Delivers every CRM domain event to the tenant's webhooks whose pattern matches it",
      eventPattern: { source: [EVENT_SOURCE] },
      targets: [this.asyncTarget(dispatchWebhooks, dispatchDlq)],
    });

    // Retries: every minute on prod and staging (backoff starts at 30 s), every 15 on dev-like
    // stages (their idle budget, docs/cost.md); untraced like the other frequent sweeps (decision 57).
    const sweepMinutes = ['prod', 'staging'].includes(this.config.stage) ? WEBHOOK_SWEEP_MINUTES.persistent : WEBHOOK_SWEEP_MINUTES.devLike;
    const retryWebhookDeliveries = this.fn('RetryWebhookDeliveries', 'functions/webhooks/retry-webhook-deliveries.ts', Duration.seconds(300), Tracing.PASS_THROUGH).grantTable(table, 'readWrite');
    const retryDlq = new DeadLetterQueue(this, 'RetryWebhookDeliveriesDlq');
    const schedule = new events.Rule(this, 'WebhookRetriesSchedule', {
      description: 'Sends again each pending webhook delivery whose next attempt is due',
      schedule: events.Schedule.rate(Duration.minutes(sweepMinutes)),
      targets: [this.asyncTarget(retryWebhookDeliveries, retryDlq)],
    });
    (schedule.node.defaultChild as CfnResource).addMetadata(METADATA.schedule, 'webhook-retries');

    // A webhook switched off after failing too long: its admins are mailed.
    const mailWebhookDisabled = this.fn('MailWebhookDisabled', 'functions/webhooks/mail-webhook-disabled.ts').grantTable(table, 'readWrite').grantSendEmail(props.configurationSet, this.config.mailFrom);
    const disabledDlq = new DeadLetterQueue(this, 'MailWebhookDisabledDlq');
    new events.Rule(this, 'WebhookDisabledToMailWebhookDisabled', {
      eventBus: bus,
      description: "Tells the tenant's admins a webhook was switched off after its deliveries failed too long, once",
      eventPattern: { source: [EVENT_SOURCE], detailType: [webhookDisabledV1.detailType] },
      targets: [this.asyncTarget(mailWebhookDisabled, disabledDlq)],
    });

    // An export asked for: its file written from what the requester may see (docs/integrations.md, "Exports").
    // Lambda's longest run: a large tenant's file is read a page at a time and built before it is stored.
    const runExport = this.fn('RunExport', 'functions/exports/run-export.ts', Duration.minutes(15)).grantTable(table, 'readWrite');
    grantFiles(runExport, filesBucket);
    const runExportDlq = new DeadLetterQueue(this, 'RunExportDlq');
    new events.Rule(this, 'ExportRequestedToRunExport', {
      eventBus: bus,
      description: 'Writes the file of an export a user asked for',
      eventPattern: { source: [EVENT_SOURCE], detailType: [exportRequestedV1.detailType] },
      targets: [this.asyncTarget(runExport, runExportDlq)],
    });

    // CSV imports: the flow's steps read and write the files bucket and the table.
    const importStep = (fnId: string, entry: string, timeout: Duration, memorySize?: number) => {
      const f = new CrmFunction(this, fnId, { entry, config: this.config, timeout, memorySize }).grantTable(table, 'readWrite');
      grantFiles(f, filesBucket);
      return f;
    };
    // Reads the whole file once (up to 100 MB, streamed) and checks every row.
    const prepareImport = importStep('PrepareImport', 'functions/imports/prepare-import.ts', Duration.minutes(15), 1024);
    const writeImportChunk = importStep('WriteImportChunk', 'functions/imports/write-import-chunk.ts', Duration.minutes(5));
    const completeImport = importStep('CompleteImport', 'functions/imports/complete-import.ts', Duration.minutes(5));
    const recordImportFailure = importStep('RecordImportFailure', 'functions/imports/record-import-failure.ts', Duration.seconds(30));
    this.importFlow = new ImportFlow(this, 'ImportFlow', { config: this.config, prepare: prepareImport, writeChunk: writeImportChunk, complete: completeImport, recordFailure: recordImportFailure });

    this.functions = { dispatchWebhooks, retryWebhookDeliveries, mailWebhookDisabled, runExport, prepareImport, writeImportChunk, completeImport, recordImportFailure };
    this.deadLetterQueues = { dispatchWebhooks: dispatchDlq, retryWebhookDeliveries: retryDlq, mailWebhookDisabled: disabledDlq, runExport: runExportDlq };
    // A webhook replay sends the archive's events to the dispatcher's rule alone; `/imports/{id}/run` starts the import flow.
    this.wire(this.functions, Object.values(this.deadLetterQueues), {
      ...(props.eventArchive ? { replay: { archive: props.eventArchive, bus, rule: dispatchRule } } : {}),
      filesBucket,
      flows: { import: this.importFlow.stateMachine },
    });
  }
}

export interface IntegrationsStackProps extends DomainStackProps {
  /** The stage's event archive, which webhook replays read. */
  readonly eventArchive?: events.Archive;
}

/** The import flow's steps: failures go to the flow's catch (RecordImportFailure), not to a queue. */
type ImportStepName = 'prepareImport' | 'writeImportChunk' | 'completeImport' | 'recordImportFailure';
export type IntegrationsFunctionName = 'dispatchWebhooks' | 'retryWebhookDeliveries' | 'mailWebhookDisabled' | 'runExport' | ImportStepName;
