import type { Actor } from '../../events/envelope';
import { leadAssignedV1 } from '../../events/lead-assigned.v1';
import { leadCreatedV1 } from '../../events/lead-created.v1';
import { leadQualifiedV1 } from '../../events/lead-qualified.v1';
import { customerUpdatedV1 } from '../../events/customer-updated.v1';
import type { Activity } from '../activities/activity';
import { clock } from '../clock';
import { Conflict, DuplicateLead, LeadNotFound } from '../errors';
import { newId } from '../ids';
import { type EventContext, newEvent } from '../outbox/outbox';
import { answeredAgain, answersForCustomer, capturedConsent } from '../consent/consent-capture';
import { captureEvidence, type Lead, type LeadChannel, type LeadInput, matchCandidates, newLead, type QualificationLevel, type Signal } from './lead';
import { qualifyByScore } from './lead-qualification';
import { LeadChanged, type LeadRepository, LoadChanged, type OutboxEvent } from './lead-repository';
import { availableReps, pickLeastLoaded, repForTicket, routesAt, routeToTeam, type RoutingConfig, teamStrategy } from './lead-routing';
import { NO_SCORING, scoreLead } from './lead-scoring';

/**
 * Capturing a lead (docs/leads.md#capture), from `POST /leads` and from a public form: match an
 * existing customer, else create the lead with its first score and events, then route it.
 */

export interface CaptureContext extends EventContext {
  channel: LeadChannel;
  formId: string | null;
  /** The form's default `source` when the submission names none. */
  defaultSource: string | null;
  /** The tenant's double opt-in: grants wait for the confirmation link (docs/leads.md#double-opt-in). */
  doubleOptIn?: boolean;
}

export type CaptureOutcome =
  | { disposition: 'new'; lead: Lead }
  | {
      disposition: 'matched-customer';
      customerId: string;
      matchedOn: 'email' | 'phone' | 'domain';
      activityId: string;
      /** Grants given to the customer that wait for the confirmation link (double opt-in), mailed to `email`. */
      waiting: string[];
      email: string | null;
    }
  | { disposition: 'existing-lead'; leadId: string; lead: Lead; waiting: string[] };

const SAVE_ATTEMPTS = 5;
/**
 * Least-loaded routing under contention re-reads the loads this often before it stops conditioning.
 * A burst of N captures for R reps needs up to about N/R rounds for its last one; 16, with a
 * jittered pause between rounds so the losers do not meet again in step, keeps bursts of a few
 * dozen exact.
 */
const ROUTING_ATTEMPTS = 16;
const routingPause = () => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
const SCORING_ACTOR: Actor = { type: 'system', id: 'lead-scoring' };
const ROUTING_ACTOR: Actor = { type: 'system', id: 'lead-routing' };

const outbox = (contract: { detailType: string }, detail: { id: string }): OutboxEvent => ({ detailType: contract.detailType, detail });

export async function loadSettings(repo: LeadRepository, tenantId: string) {
  const { scoring, routing } = await repo.settings(tenantId);
  return { scoring: scoring ?? NO_SCORING, routing };
}

export function qualifiedEvents(ctx: EventContext, lead: Lead, reached: QualificationLevel[], by: 'score' | 'rep', score: number): OutboxEvent[] {
  const actor = by === 'score' ? SCORING_ACTOR : ctx.actor;
  return reached.map((level) =>
    outbox(leadQualifiedV1, newEvent(leadQualifiedV1, { ...ctx, actor }, { leadId: lead.id, level, by, score, ownerId: lead.ownerId })),
  );
}

export async function captureLead(repo: LeadRepository, ctx: CaptureContext, input: LeadInput): Promise<CaptureOutcome> {
  const { match, scoring, routing } = await repo.lookup(ctx.tenantId, matchCandidates({ email: input.email ?? null, phone: input.phone ?? null, domain: input.domain ?? null }));
  const settings = { scoring: scoring ?? NO_SCORING, routing };
  const nowIso = clock.nowIso();

  if (match) {
    const attached = await attachCapture(repo, ctx, input, match, nowIso);
    // A customer erased or merged between the lookup and the write falls through to a new lead.
    if (attached) return { disposition: 'matched-customer', customerId: match.customerId, matchedOn: match.matchedOn, ...attached };
  }

  const fresh = newLead(input, { id: newId(), tenantId: ctx.tenantId, channel: ctx.channel, formId: ctx.formId, actorId: ctx.actor.id, nowIso, defaultSource: ctx.defaultSource, doubleOptIn: ctx.doubleOptIn === true });
  const signals: Signal[] = ctx.channel === 'form' ? [{ id: newId(), type: 'form-submitted', occurredAt: nowIso, url: input.pageUrl ?? null }] : [];
  const { score } = scoreLead(settings.scoring, fresh, signals, clock.nowMs());
  const { lead, reached } = qualifyByScore(fresh, settings.scoring, score, nowIso);
  const created = newEvent(leadCreatedV1, ctx, { leadId: lead.id, disposition: 'new', customerId: null, matchedOn: null, channel: ctx.channel, formId: ctx.formId });
  const outcome = await repo.create(lead, signals, [outbox(leadCreatedV1, created), ...qualifiedEvents(ctx, lead, reached, 'score', score)]);

  if (!outcome.created) {
    if (ctx.channel === 'api') throw new DuplicateLead(outcome.existingLeadId);
    // The same person sent a form again: that is engagement on their lead, not a second lead, and
    // their answers to the consent questions count like the first ones.
    const captured = capturedConsent(input.consent, captureEvidence(input, ctx.formId), ctx.channel, nowIso);
    let waiting: string[] = [];
    const lead = await recordSignal(repo, ctx, outcome.existingLeadId, signals[0]!, (current) => {
      const answered = answeredAgain({ consent: current.consent ?? {}, pending: current.pendingConsent ?? {} }, captured, ctx.doubleOptIn === true);
      waiting = answered.waiting;
      return { ...current, consent: answered.consent, pendingConsent: answered.pending };
    });
    return { disposition: 'existing-lead', leadId: outcome.existingLeadId, lead, waiting };
  }
  const routed = settings.routing && dueForRouting(settings.routing, null, reached, true) ? await routeLead(repo, settings.routing, lead, ctx.correlationId) : lead;
  return { disposition: 'new', lead: routed };
}

/**
 * Adds an engagement signal and re-scores at once: qualification happens on the write that
 * crosses the threshold, so `crm.lead.qualified.v1` is emitted exactly when it happens. A lost
 * race against another write of the lead re-reads and tries again.
 */
export async function recordSignal(repo: LeadRepository, ctx: EventContext, leadId: string, signal: Signal, change: (lead: Lead) => Lead = (lead) => lead): Promise<Lead> {
  for (let attempt = 1; ; attempt++) {
    const [read, settings] = await Promise.all([repo.load(ctx.tenantId, leadId), loadSettings(repo, ctx.tenantId)]);
    if (!read) throw new LeadNotFound(leadId);
    // Applied to every fresh read, so a retry after a lost race decides on what the winner wrote.
    const loaded = { ...read, lead: change(read.lead) };
    const nowIso = clock.nowIso();
    const { score } = scoreLead(settings.scoring, loaded.lead, [...loaded.signals, signal], clock.nowMs());
    const { lead, reached } = qualifyByScore(loaded.lead, settings.scoring, score, nowIso);
    const next = { ...lead, updatedAt: nowIso, version: loaded.lead.version + 1 };
    try {
      await repo.save(next, read.lead.version, [signal], qualifiedEvents(ctx, next, reached, 'score', score));
    } catch (error) {
      if (error instanceof LeadChanged && attempt < SAVE_ATTEMPTS) continue;
      throw error;
    }
    return settings.routing && dueForRouting(settings.routing, next.ownerId, reached, false) ? routeLead(repo, settings.routing, next, ctx.correlationId) : next;
  }
}

/** Routed at capture (`assignOn: created`) or when it first reaches the configured level, if nobody has it. */
export function dueForRouting(routing: RoutingConfig, ownerId: string | null, reached: QualificationLevel[], atCapture: boolean): boolean {
  if (ownerId !== null) return false;
  return (atCapture && routesAt(routing, null)) || reached.some((level) => routesAt(routing, level));
}

/**
 * Rules pick the team, the team's next ticket picks the rep: round-robin, rep (ticket - 1) mod
 * size; least-loaded, the rep with the fewest open leads (ties by the ticket's rotation), taken
 * only if that count is still what was read, else re-read. The ticket is drawn once: a lead that
 * changed meanwhile is re-read and the same ticket applied, so no rep's turn is lost to a retry.
 * Every assignment moves the rep's open-lead count in the same transaction.
 */
export async function routeLead(repo: LeadRepository, routing: RoutingConfig, lead: Lead, correlationId: string): Promise<Lead> {
  const team = routeToTeam(routing, lead);
  const reps = team ? availableReps(routing, team.teamId) : [];
  if (!team || reps.length === 0) return lead;
  const leastLoaded = teamStrategy(routing, team.teamId) === 'least-loaded';
  const ticket = await repo.nextTicket(lead.tenantId, team.teamId);
  let current = lead;
  for (let attempt = 1; ; attempt++) {
    if (current.ownerId !== null) return current;
    const loads = leastLoaded ? await repo.loads(lead.tenantId, reps) : undefined;
    const ownerId = loads ? pickLeastLoaded(reps, loads, ticket) : repForTicket(reps, ticket);
    const nowIso = clock.nowIso();
    const next: Lead = { ...current, ownerId, teamId: team.teamId, assignedAt: nowIso, updatedAt: nowIso, version: current.version + 1 };
    const event = newEvent(leadAssignedV1, { tenantId: lead.tenantId, actor: ROUTING_ACTOR, correlationId }, {
      leadId: lead.id,
      teamId: team.teamId,
      toOwnerId: ownerId,
      rule: team.rule,
      ticket,
      respondBy: new Date(Date.parse(nowIso) + team.respondWithinMinutes * 60_000).toISOString(),
    });
    // The last attempt takes the least-loaded rep unconditionally: a lead is never left unrouted for a busy team.
    const expectOpen = loads && attempt < ROUTING_ATTEMPTS ? (loads.get(ownerId) ?? 0) : undefined;
    try {
      await repo.save(next, current.version, [], [outbox(leadAssignedV1, event)], { userId: ownerId, delta: 1, expectOpen });
      return next;
    } catch (error) {
      if (!(error instanceof LeadChanged || error instanceof LoadChanged) || attempt >= ROUTING_ATTEMPTS) throw error;
      if (error instanceof LoadChanged) await routingPause();
      if (error instanceof LeadChanged) {
        const reloaded = await repo.load(lead.tenantId, lead.id);
        if (!reloaded) throw new LeadNotFound(lead.id);
        current = reloaded.lead;
      }
    }
  }
}

const ATTACH_ATTEMPTS = 5;

/**
 * A capture that matched a customer: its `lead` timeline entry and event, and its consent answers
 * applied to the customer when they are the customer's own (answersForCustomer), under the
 * tenant's double opt-in like a lead's. Retried while the profile keeps changing under it;
 * undefined when the customer is gone.
 */
async function attachCapture(
  repo: LeadRepository,
  ctx: CaptureContext,
  input: LeadInput,
  match: { customerId: string; matchedOn: 'email' | 'phone' | 'domain' },
  nowIso: string,
): Promise<{ activityId: string; waiting: string[]; email: string | null } | undefined> {
  const captured = capturedConsent(input.consent, captureEvidence(input, ctx.formId), ctx.channel, nowIso);
  for (let attempt = 1; ; attempt++) {
    const activity = leadActivity(ctx, input, match.customerId, nowIso);
    const event = newEvent(leadCreatedV1, ctx, { leadId: activity.id, disposition: 'matched-customer', customerId: match.customerId, matchedOn: match.matchedOn, channel: ctx.channel, formId: ctx.formId });
    const matched = Object.keys(captured).length ? await repo.matchedCustomer(ctx.tenantId, match.customerId) : undefined;
    const answers = matched && answersForCustomer({ ...matched.customer, pendingConsent: matched.pendingConsent }, input.email, captured, ctx.doubleOptIn === true);
    let consent: Parameters<LeadRepository['attachToCustomer']>[3];
    if (matched && answers) {
      const before = matched.customer;
      const after = { ...before, consent: answers.consent, updatedAt: nowIso, updatedBy: ctx.actor.id, version: before.version + 1 };
      const updated = newEvent(customerUpdatedV1, ctx, { customerId: before.id, changedFields: answers.changedFields, version: after.version });
      consent = { before, after, pendingConsent: answers.pending, updated: outbox(customerUpdatedV1, updated) };
    }
    const outcome = await repo.attachToCustomer(ctx.tenantId, activity, outbox(leadCreatedV1, event), consent);
    if (outcome === 'attached') return { activityId: activity.id, waiting: answers?.waiting ?? [], email: answers ? input.email! : null };
    if (outcome === 'gone') return undefined;
    // The customer kept changing: the client sends the capture again (a form's visitor is told to).
    if (attempt >= ATTACH_ATTEMPTS) throw new Conflict('The matching customer changed while the capture was being recorded; send it again');
  }
}

/** The capture as a timeline entry of the customer it matched: what they sent, where from. */
function leadActivity(ctx: CaptureContext, input: LeadInput, customerId: string, nowIso: string): Activity {
  const { message, ...fields } = input;
  return {
    id: newId(),
    customerId,
    type: 'lead',
    occurredAt: nowIso,
    subject: ctx.channel === 'form' ? 'Web form submitted' : 'Lead captured',
    body: message ?? null,
    payload: { channel: ctx.channel, formId: ctx.formId, ...fields, source: input.source ?? ctx.defaultSource },
    actor: ctx.actor,
    loggedAt: nowIso,
  };
}
