import { busEventSchema } from '../../events/envelope';
import { leadAssignedV1 } from '../../events/lead-assigned.v1';
import type { Lead } from '../leads/lead';
import { DEFAULT_RESPOND_WITHIN_MINUTES } from '../leads/lead-routing';
import type { Task } from './task';
import { openSystemTask, type TaskDeps } from './task-use-cases';

export interface FirstContactDeps {
  tasks: TaskDeps['tasks'];
  leads: { lead(tenantId: string, leadId: string): Promise<Lead | undefined> };
}

/**
 * Speed to lead (docs/tasks.md#first-contact): a lead routed to a rep opens a call task for them,
 * due when the routing rule's response time is up (`respondBy`). The task's id is the event's, so
 * a redelivered event opens it once. A lead that moved on meanwhile (another owner, gone) gets
 * none: the task follows the routing decision that still holds.
 */
export async function openFirstContactTask(deps: FirstContactDeps, event: unknown): Promise<Task | undefined> {
  const detail = leadAssignedV1.schema.parse(busEventSchema.parse(event).detail);
  const { leadId, toOwnerId, respondBy } = detail.data;
  const lead = await deps.leads.lead(detail.tenantId, leadId);
  if (!lead || lead.ownerId !== toOwnerId) return undefined;
  const dueAt = respondBy ?? new Date(Date.parse(detail.occurredAt) + DEFAULT_RESPOND_WITHIN_MINUTES * 60_000).toISOString();
  const who = lead.name ?? lead.company ?? lead.email ?? 'new lead';
  return openSystemTask(
    deps,
    detail.tenantId,
    { id: detail.id, title: `First contact: ${who}`, type: 'call', dueAt, assigneeId: toOwnerId, subject: { customerId: null, dealId: null, leadId }, source: 'lead-routing', actorId: 'lead-routing' },
    detail.correlationId,
  );
}
