import { type Lead, levelRank, QUALIFICATION_LEVELS, type QualificationLevel } from './lead';
import { levelsReached, type ScoringConfig } from './lead-scoring';

/**
 * How a lead moves between statuses (docs/leads.md#qualification). Pure: each function returns
 * the changed lead and the levels newly reached, one `crm.lead.qualified.v1` per level.
 */
export interface Transition {
  lead: Lead;
  reached: QualificationLevel[];
}

/** Levels above `from` up to and including `to`, lowest first. */
function levelsBetween(from: QualificationLevel | null, to: QualificationLevel): QualificationLevel[] {
  return QUALIFICATION_LEVELS.filter((level) => levelRank(level) > levelRank(from) && levelRank(level) <= levelRank(to));
}

function touched(lead: Lead, nowIso: string): Lead {
  return { ...lead, updatedAt: nowIso, version: lead.version + 1 };
}

/**
 * A score crossing a threshold qualifies the lead, once per level; a disqualified lead stays out
 * (a rep decided), a converted one is a customer now, a nurtured one comes back when it engages
 * enough. Scores decay, levels do not: an MQL whose score later falls stays an MQL (the event has
 * been acted on).
 */
export function qualifyByScore(lead: Lead, config: ScoringConfig, score: number, nowIso: string): Transition {
  if (lead.status === 'disqualified' || lead.status === 'converted') return { lead, reached: [] };
  const reached = levelsReached(config, score).filter((level) => levelRank(level) > levelRank(lead.qualifiedLevel));
  if (reached.length === 0) return { lead, reached };
  const level = reached.at(-1)!;
  return { lead: { ...lead, status: level, qualifiedLevel: level, qualification: { by: 'score', at: nowIso, userId: null, reason: null } }, reached };
}

/** A rep's call: up to `level` (MQL on the way to SQL counts as reached too); never down. */
export function qualifyByRep(lead: Lead, level: QualificationLevel, userId: string, reason: string, nowIso: string): Transition {
  const reached = levelsBetween(lead.qualifiedLevel, level);
  if (reached.length === 0 && lead.status === lead.qualifiedLevel) return { lead, reached };
  const next = levelRank(level) > levelRank(lead.qualifiedLevel) ? level : lead.qualifiedLevel!;
  return {
    lead: touched({ ...lead, status: next, qualifiedLevel: next, qualification: { by: 'rep', at: nowIso, userId, reason }, disqualification: null }, nowIso),
    reached,
  };
}

/** Not ready (nurture list, a segment can target it) or not a fit at all (disqualified). */
export function disqualify(lead: Lead, nurture: boolean, userId: string, reason: string, nowIso: string): Lead {
  return touched({ ...lead, status: nurture ? 'nurture' : 'disqualified', disqualification: { at: nowIso, userId, reason } }, nowIso);
}
