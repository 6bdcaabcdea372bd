import { caseSurveyAnsweredV1 } from '../../events/cases/case-survey-answered.v1';
import { busEventSchema } from '../../events/envelope';
import type { CaseRepository } from '../cases/case-repository';
import { clock } from '../clock';
import type { Customer } from '../customers/customer';
import type { Task } from '../tasks/task';
import { openSystemTask, type TaskDeps } from '../tasks/task-use-cases';

/** A follow-up of a low score is due within a day: an unhappy customer should hear back soon. */
export const FOLLOW_UP_DUE_HOURS = 24;

export interface SurveyFollowUpDeps {
  tasks: TaskDeps['tasks'];
  cases: Pick<CaseRepository, 'get'>;
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
}

export type SurveyFollowUpResult = { status: 'opened'; task: Task } | { status: 'not-low' | 'case-gone' | 'nobody' };

/**
 * Rule target on `crm.case.survey-answered.v1` with `low: true`: opens a call task for the case's
 * assignee (or, for a case nobody is assigned, its customer's owner) through the tasks use case.
 * The task's id is the survey's, so a survey opens one follow-up however often it is answered low
 * or the event delivered. A case with neither assignee nor owner gets none (nobody to give it to).
 */
export async function openSurveyFollowUp(deps: SurveyFollowUpDeps, event: unknown): Promise<SurveyFollowUpResult> {
  const detail = caseSurveyAnsweredV1.schema.parse(busEventSchema.parse(event).detail);
  const d = detail.data;
  if (!d.low) return { status: 'not-low' };
  const found = await deps.cases.get(detail.tenantId, d.caseId, false);
  if (!found) return { status: 'case-gone' };
  const c = found.case;
  const customer = await deps.customers.get(detail.tenantId, c.customerId);
  const assigneeId = c.assigneeId ?? customer?.ownerId ?? null;
  if (!assigneeId || !customer || customer.erasedAt || customer.mergedInto) return { status: 'nobody' };
  const dueAt = new Date(clock.nowMs() + FOLLOW_UP_DUE_HOURS * 3_600_000).toISOString();
  const task = await openSystemTask(
    deps,
    detail.tenantId,
    {
      id: d.surveyId,
      title: `Follow up: ${d.kind.toUpperCase()} ${d.score} of ${d.kind === 'csat' ? 5 : 10} on case "${c.subject}"`.slice(0, 200),
      type: 'call',
      dueAt,
      assigneeId,
      subject: { customerId: c.customerId, dealId: null, leadId: null },
      source: 'case-survey',
      actorId: 'case-survey',
    },
    detail.correlationId,
  );
  return { status: 'opened', task };
}
