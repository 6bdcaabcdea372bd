import { type ConfirmationDeps, doubleOptInOf, mailConfirmation, mailCustomerConfirmation } from './lead-consent-use-case';
import type { Caller } from '../access/caller';
import { overseesReps, runsMarketing } from '../access/permissions';
import { leadDisqualifiedV1 } from '../../events/leads/lead-disqualified.v1';
import { leadNurturedV1 } from '../../events/leads/lead-nurtured.v1';
import { clock } from '../clock';
import { type EventContext, newEvent } from '../outbox/outbox';
import { Forbidden, LeadNotFound, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { keys, TABLE_INDEXES } from '../keys';
import { decodeIndexCursor, encodeCursor } from '../pagination';
import { captureLead, type CaptureOutcome, loadSettings, qualifiedEvents, recordSignal, routeLead, dueForRouting } from './lead-capture-use-case';
import { canQualifyLead, canReadLead, type EngagementInput, type Lead, LEAD_STATUSES, type LeadInput, type LeadStatus, leadView, type QualificationLevel } from './lead';
import { LeadConverted } from './lead-errors';
import { disqualify, qualifyByRep } from './lead-qualification';
import { LeadChanged, type LeadRepository, type OutboxEvent } from './lead-repository';
import { type RoutingConfig, validateRoutingConfig } from './lead-routing';
import { scoreLead, type ScoringConfig, validateScoringConfig } from './lead-scoring';

/** The authenticated lead routes (docs/leads.md). Handlers call exactly one of these. */

const userContext = (caller: Caller, correlationId: string) => ({ tenantId: caller.tenantId, actor: { type: 'user' as const, id: caller.userId }, correlationId });

/** POST /leads: any user of the tenant may enter a lead (a rep at a fair, an integration). */
/** POST /leads; under the tenant's double opt-in, grants wait and the person gets the confirmation mail (links to `origin`). */
export async function createLead(repo: LeadRepository, confirmations: ConfirmationDeps, caller: Caller, input: LeadInput, correlationId: string, origin: string): Promise<CaptureOutcome> {
  const doubleOptIn = input.consent !== undefined && (await doubleOptInOf(confirmations, caller.tenantId));
  const outcome = await captureLead(repo, { ...userContext(caller, correlationId), channel: 'api', formId: null, defaultSource: null, doubleOptIn }, input);
  if (outcome.disposition === 'new') await mailConfirmation(confirmations, outcome.lead, origin);
  if (outcome.disposition === 'matched-customer') await mailCustomerConfirmation(confirmations, caller.tenantId, outcome, input.consentText ?? '', origin);
  return outcome;
}

async function readableLead(repo: LeadRepository, caller: Caller, leadId: string) {
  const loaded = await repo.load(caller.tenantId, leadId);
  if (!loaded || !canReadLead(caller, loaded.lead)) throw new LeadNotFound(leadId);
  return loaded;
}

/** GET /leads/{id}: the lead with its score now, decayed to this moment, and the rules behind it. */
export async function getLead(repo: LeadRepository, caller: Caller, leadId: string) {
  const [{ lead, signals }, settings] = await Promise.all([readableLead(repo, caller, leadId), loadSettings(repo, caller.tenantId)]);
  const score = scoreLead(settings.scoring, lead, signals, clock.nowMs());
  const recent = [...signals].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)).slice(0, 20);
  return {
    ...leadView(lead),
    score: { value: score.score, at: score.at, contributions: score.contributions, thresholds: settings.scoring.thresholds },
    signals: { count: signals.length, recent },
  };
}

export async function listLeads(repo: LeadRepository, caller: Caller, status: string | undefined, limit: number, cursor: string | undefined) {
  const wanted = (status ?? 'new') as LeadStatus;
  if (!LEAD_STATUSES.includes(wanted)) throw new ValidationFailed([{ path: 'query.status', message: `Expected one of ${LEAD_STATUSES.join(', ')}` }]);
  const partition = keys.leadsInStatus(caller.tenantId, wanted).GSI5PK;
  const leadPrefix = keys.leadPartition(caller.tenantId, '');
  const startKey = decodeIndexCursor(cursor, TABLE_INDEXES.gsi5, partition, (key) => key.PK.startsWith(leadPrefix) && key.SK === 'PROFILE');
  const page = await repo.listByStatus(caller.tenantId, wanted, limit, startKey);
  // Reps see their own leads only; a page may then hold fewer than `limit`.
  return { items: page.items.filter((lead) => canReadLead(caller, lead)).map(leadView), cursor: encodeCursor(page.lastEvaluatedKey) };
}

/** POST /leads/{id}/engagements: tracking systems and marketers report what the lead did. */
export async function addEngagement(repo: LeadRepository, caller: Caller, leadId: string, input: EngagementInput, correlationId: string) {
  const { lead } = await readableLead(repo, caller, leadId);
  // A converted lead is a customer now: its engagement belongs on the customer's timeline.
  if (lead.convertedCustomerId) throw new LeadConverted(lead.id, lead.convertedCustomerId);
  const occurredAt = input.occurredAt ? new Date(input.occurredAt).toISOString() : clock.nowIso();
  if (Date.parse(occurredAt) > clock.nowMs() + 5 * 60_000) throw new ValidationFailed([{ path: 'occurredAt', message: 'An engagement cannot happen in the future' }]);
  await recordSignal(repo, userContext(caller, correlationId), leadId, { id: newId(), type: input.type, occurredAt, url: input.url ?? null });
  return getLead(repo, caller, leadId);
}

/**
 * A rep's decision, written if the lead did not change since it was read (a lost race re-reads
 * and re-decides). `change` returns the lead after the decision and the levels newly reached.
 */
async function decide(repo: LeadRepository, caller: Caller, leadId: string, correlationId: string, change: (lead: Lead, nowIso: string) => { lead: Lead; reached: QualificationLevel[] }) {
  for (let attempt = 1; ; attempt++) {
    const [{ lead, signals }, settings] = await Promise.all([readableLead(repo, caller, leadId), loadSettings(repo, caller.tenantId)]);
    if (!canQualifyLead(caller, lead)) throw new Forbidden('Only the lead owner, a manager or an admin may decide on a lead');
    if (lead.convertedCustomerId) throw new LeadConverted(lead.id, lead.convertedCustomerId);
    const next = change(lead, clock.nowIso());
    if (next.lead === lead) return getLead(repo, caller, leadId);
    const score = scoreLead(settings.scoring, lead, signals, clock.nowMs()).score;
    try {
      // A disqualified lead leaves its owner's plate, a requalified one comes back (least-loaded routing counts open leads).
      const wasOut = lead.status === 'disqualified';
      const isOut = next.lead.status === 'disqualified';
      const load = next.lead.ownerId !== null && wasOut !== isOut ? { userId: next.lead.ownerId, delta: isOut ? (-1 as const) : (1 as const) } : undefined;
      const ctx = userContext(caller, correlationId);
      await repo.save(next.lead, lead.version, [], [...qualifiedEvents(ctx, next.lead, next.reached, 'rep', score), ...statusEvents(ctx, lead, next.lead)], load);
    } catch (error) {
      if (error instanceof LeadChanged && attempt < 5) continue;
      throw error;
    }
    if (settings.routing && dueForRouting(settings.routing, next.lead.ownerId, next.reached, false)) await routeLead(repo, settings.routing, next.lead, correlationId);
    return getLead(repo, caller, leadId);
  }
}

/**
 * The event of a rep's move of the lead onto the nurture list or out: `crm.lead.nurtured.v1`
 * (a nurture drip's trigger) or `crm.lead.disqualified.v1`; none when the status did not change.
 */
export function statusEvents(ctx: EventContext, before: Lead, after: Lead): OutboxEvent[] {
  if (after.status === before.status) return [];
  const data = { leadId: after.id, from: before.status, ownerId: after.ownerId };
  if (after.status === 'nurture') return [{ detailType: leadNurturedV1.detailType, detail: newEvent(leadNurturedV1, ctx, data) }];
  if (after.status === 'disqualified') return [{ detailType: leadDisqualifiedV1.detailType, detail: newEvent(leadDisqualifiedV1, ctx, data) }];
  return [];
}

export function qualifyLead(repo: LeadRepository, caller: Caller, leadId: string, input: { level: QualificationLevel; reason: string }, correlationId: string) {
  return decide(repo, caller, leadId, correlationId, (lead, nowIso) => qualifyByRep(lead, input.level, caller.userId, input.reason, nowIso));
}

export function disqualifyLead(repo: LeadRepository, caller: Caller, leadId: string, input: { reason: string; nurture?: boolean }, correlationId: string) {
  return decide(repo, caller, leadId, correlationId, (lead, nowIso) => ({ lead: disqualify(lead, input.nurture ?? false, caller.userId, input.reason, nowIso), reached: [] }));
}

/** PUT /lead-scoring: admins and marketers. Takes effect on the next read or signal. */
export async function putScoringConfig(repo: LeadRepository, caller: Caller, input: ScoringConfig): Promise<ScoringConfig> {
  if (!runsMarketing(caller)) throw new Forbidden('Only admins and marketers configure lead scoring');
  const config = validateScoringConfig(input);
  await repo.putConfig(keys.leadScoringConfig(caller.tenantId), config, caller.userId, clock.nowIso());
  return config;
}

/** PUT /routing-rules: admins and managers. The teams' round-robin cursors carry on. */
export async function putRoutingConfig(repo: LeadRepository, caller: Caller, input: RoutingConfig): Promise<RoutingConfig> {
  if (!overseesReps(caller)) throw new Forbidden('Only admins and managers configure lead routing');
  const config = validateRoutingConfig(input);
  await repo.putConfig(keys.leadRoutingConfig(caller.tenantId), config, caller.userId, clock.nowIso());
  return config;
}
