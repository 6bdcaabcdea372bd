import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { agentUpdatedV1 } from '../../events/agents/agent-updated.v1';
import { caseMessageAddedV1 } from '../../events/cases/case-message-added.v1';
import { caseOpenedV1 } from '../../events/cases/case-opened.v1';
import { caseStatusChangedV1 } from '../../events/cases/case-status-changed.v1';
import { customerErasedV1 } from '../../events/customer-erased.v1';
import { EVENT_SOURCE } from '../../events/envelope';
import type { CrmFunction } from '../constructs/crm-function';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { DomainStack, type DomainStackProps } from './domain-stack';

/**
 * Service (docs/service.md): the case routes (api/routes/cases.ts) and the reply sender that mails
 * an agent's reply once it is committed. Its own stack, as each domain has (docs/decisions.md, 43).
 */
export class ServiceStack extends DomainStack {
  /** The functions that are not routes. */
  readonly functions: Readonly<Record<ServiceFunctionName, CrmFunction>>;
  /** Where reply events land when their function failed every retry. */
  readonly deadLetterQueues: Readonly<Record<ServiceFunctionName, DeadLetterQueue>>;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props, 'service');
    const { table, bus, configurationSet } = props;

    const sendCaseReply = this.fn('SendCaseReply', 'functions/cases/send-case-reply.ts').grantTable(table, 'readWrite').grantSendEmail(configurationSet, this.config.mailFrom);
    const replyDlq = new DeadLetterQueue(this, 'SendCaseReplyDlq');
    new events.Rule(this, 'CaseMessageToSendCaseReply', {
      eventBus: bus,
      description: "Mails an agent's reply on a case to the requester, once",
      eventPattern: { source: [EVENT_SOURCE], detailType: [caseMessageAddedV1.detailType], detail: { data: { kind: ['outbound'] } } },
      targets: [this.asyncTarget(sendCaseReply, replyDlq)],
    });

    // ---- Routing to agents (docs/service.md, "Routing to agents") ----
    const routeCases = this.fn('RouteCases', 'functions/cases/route-cases.ts').grantTable(table, 'readWrite');
    const routeDlq = new DeadLetterQueue(this, 'RouteCasesDlq');
    new events.Rule(this, 'CaseRoutingTriggersToRouteCases', {
      eventBus: bus,
      description: 'Routes new and requeued cases to available agents; drains the queue for an agent who has room again; requeues an absent agent\'s cases per policy; releases erased customers\' cases',
      eventPattern: { source: [EVENT_SOURCE], detailType: [caseOpenedV1.detailType, caseStatusChangedV1.detailType, agentUpdatedV1.detailType, customerErasedV1.detailType] },
      targets: [this.asyncTarget(routeCases, routeDlq)],
    });
    // ---- end of routing to agents ----

    this.functions = { sendCaseReply, routeCases };
    this.deadLetterQueues = { sendCaseReply: replyDlq, routeCases: routeDlq };
    this.wire(this.functions, Object.values(this.deadLetterQueues));
  }
}

export type ServiceFunctionName = 'sendCaseReply' | 'routeCases';
