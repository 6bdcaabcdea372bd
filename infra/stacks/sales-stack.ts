import { type CfnResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../events/envelope';
import { quoteAnsweredV1 } from '../../events/quotes/quote-answered.v1';
import { leadAssignedV1 } from '../../events/lead-assigned.v1';
import type { CrmFunction } from '../constructs/crm-function';
import type { UnsubscribeKey } from '../constructs/unsubscribe-key';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { METADATA } from '../metadata';
import { REMINDER_SWEEP_MINUTES } from '../../shared/tasks/task-reminders-use-case';
import { DomainStack, type DomainStackProps } from './domain-stack';

/**
 * Sales (docs/pipeline.md, docs/leads.md, docs/tasks.md): pipelines, deals, the forecast, leads,
 * web forms and follow-up tasks: the rows of api/routes/{pipelines,deals,tasks,leads,forms}.ts,
 * plus the task reminder sweep and the first-contact task of a routed lead.
 */
export class SalesStack extends DomainStack {
  /** The functions that are not routes. */
  readonly functions: Readonly<Record<SalesFunctionName, CrmFunction>>;
  /** Where reminder runs and lead-assigned events land when their function failed every retry. */
  readonly deadLetterQueues: Readonly<Record<SalesFunctionName, DeadLetterQueue>>;

  constructor(scope: Construct, id: string, props: SalesStackProps) {
    super(scope, id, props, 'sales');
    const { table, bus, configurationSet } = props;

    // Every five minutes, nearly always finding nothing: untraced like the marketing-due sweep, and
    // not every minute, which would take a dev-like stage over its idle budget (docs/decisions.md, 57 and 59).
    const sendTaskReminders = this.fn('SendTaskReminders', 'functions/tasks/send-task-reminders.ts', Duration.seconds(60), Tracing.PASS_THROUGH)
      .grantTable(table, 'readWrite')
      .grantSendEmail(configurationSet, this.config.mailFrom);
    const remindersDlq = new DeadLetterQueue(this, 'SendTaskRemindersDlq');
    const schedule = new events.Rule(this, 'TaskRemindersSchedule', {
      description: 'Sends the reminder mail of every task whose reminder time has come',
      schedule: events.Schedule.rate(Duration.minutes(REMINDER_SWEEP_MINUTES)),
      targets: [this.asyncTarget(sendTaskReminders, remindersDlq)],
    });
    (schedule.node.defaultChild as CfnResource).addMetadata(METADATA.schedule, 'task-reminders');

    const openFirstContactTask = this.fn('OpenFirstContactTask', 'functions/tasks/open-first-contact-task.ts').grantTable(table, 'readWrite');
    const firstContactDlq = new DeadLetterQueue(this, 'OpenFirstContactTaskDlq');
    new events.Rule(this, 'LeadAssignedToOpenFirstContactTask', {
      eventBus: bus,
      description: "Opens the routed rep's first-contact task, due at the routing rule's response time",
      eventPattern: { source: [EVENT_SOURCE], detailType: [leadAssignedV1.detailType] },
      targets: [this.asyncTarget(openFirstContactTask, firstContactDlq)],
    });

    // An accepted quote wins its deal (docs/processes.md, "Sending a quote").
    const winQuoteDeal = this.fn('WinQuoteDeal', 'functions/deals/win-quote-deal.ts').grantTable(table, 'readWrite');
    const winQuoteDealDlq = new DeadLetterQueue(this, 'WinQuoteDealDlq');
    new events.Rule(this, 'QuoteAcceptedToWinQuoteDeal', {
      eventBus: bus,
      description: 'Wins the deal of a quote its customer accepted, if the deal is still open',
      eventPattern: { source: [EVENT_SOURCE], detailType: [quoteAnsweredV1.detailType], detail: { data: { outcome: ['accepted'] } } },
      targets: [this.asyncTarget(winQuoteDeal, winQuoteDealDlq)],
    });

    this.functions = { sendTaskReminders, openFirstContactTask, winQuoteDeal };
    this.deadLetterQueues = { sendTaskReminders: remindersDlq, openFirstContactTask: firstContactDlq, winQuoteDeal: winQuoteDealDlq };
    this.wire(this.functions, Object.values(this.deadLetterQueues), { unsubscribeSecret: props.unsubscribeSecret });
  }
}

export interface SalesStackProps extends DomainStackProps {
  /** Signs the double opt-in links that lead capture mails (docs/leads.md#double-opt-in). */
  readonly unsubscribeSecret: UnsubscribeKey;
}

export type SalesFunctionName = 'sendTaskReminders' | 'openFirstContactTask' | 'winQuoteDeal';
