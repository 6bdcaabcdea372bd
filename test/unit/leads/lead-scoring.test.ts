import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors';
import { decayFactor, levelsReached, scoreLead, type ScoringConfig, validateScoringConfig } from '../../../shared/leads/lead-scoring';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW - d * DAY).toISOString();

const config: ScoringConfig = {
  fit: [
    { name: 'Software', attribute: 'industry', in: ['Software'], weight: 20 },
    { name: 'Mid-market', attribute: 'companySize', min: 50, max: 1000, weight: 15 },
    { name: 'Decision maker', attribute: 'title', contains: ['head', 'vp'], weight: 10 },
    { name: 'Students', attribute: 'title', contains: ['student'], weight: -30 },
  ],
  engagement: [
    { name: 'Opened an email', signal: 'email-opened', weight: 4, halfLifeDays: 7 },
    { name: 'Visited pricing', signal: 'page-visited', weight: 10, halfLifeDays: 14, maxCount: 2 },
  ],
  thresholds: { mql: 40, sql: 70 },
};
const lead = { industry: 'software', companySize: 200, region: null, title: 'Head of Sales', product: null, source: null };

describe('scoreLead', () => {
  it('adds the weight of every fit rule that matches (case ignored) and explains each', () => {
    const score = scoreLead(config, lead, [], NOW);
    expect(score.score).toBe(45);
    expect(score.contributions.map((c) => [c.rule, c.points])).toEqual([['Software', 20], ['Mid-market', 15], ['Decision maker', 10]]);
    expect(score.contributions[0]).toMatchObject({ kind: 'fit', detail: 'industry = software' });
  });

  it('lets a negative rule take points away', () => {
    expect(scoreLead(config, { ...lead, title: 'Student' }, [], NOW).score).toBe(5);
  });

  it('counts a fresh signal fully and halves it per half-life', () => {
    const fresh = scoreLead({ ...config, fit: [] }, lead, [{ type: 'email-opened', occurredAt: daysAgo(0) }], NOW);
    const weekOld = scoreLead({ ...config, fit: [] }, lead, [{ type: 'email-opened', occurredAt: daysAgo(7) }], NOW);
    const twoWeeks = scoreLead({ ...config, fit: [] }, lead, [{ type: 'email-opened', occurredAt: daysAgo(14) }], NOW);
    expect([fresh.score, weekOld.score, twoWeeks.score]).toEqual([4, 2, 1]);
    expect(weekOld.contributions[0]).toMatchObject({ rule: 'Opened an email', kind: 'engagement', detail: '1 x email-opened, half-life 7 d' });
  });

  it('counts at most maxCount signals of a kind, the most recent', () => {
    const visits = [daysAgo(0), daysAgo(14), daysAgo(28)].map((occurredAt) => ({ type: 'page-visited' as const, occurredAt }));
    expect(scoreLead({ ...config, fit: [] }, lead, visits, NOW).score).toBe(15);
  });

  it('ignores signals that have not happened yet at the scoring moment', () => {
    expect(scoreLead({ ...config, fit: [] }, lead, [{ type: 'email-opened', occurredAt: new Date(NOW + DAY).toISOString() }], NOW).score).toBe(0);
  });
});

describe('decayFactor and levelsReached', () => {
  it('is 2^(-age/half-life)', () => {
    expect(decayFactor(daysAgo(3), NOW, 3)).toBeCloseTo(0.5);
    expect(decayFactor(daysAgo(0), NOW, 3)).toBe(1);
  });

  it('reaches MQL, then SQL, at the thresholds', () => {
    expect(levelsReached(config, 39.99)).toEqual([]);
    expect(levelsReached(config, 40)).toEqual(['mql']);
    expect(levelsReached(config, 70)).toEqual(['mql', 'sql']);
  });
});

describe('validateScoringConfig', () => {
  it('names a fit rule that cannot match and thresholds that do not climb', () => {
    const bad: ScoringConfig = { fit: [{ name: 'x', attribute: 'companySize', weight: 1 }, { name: 'y', attribute: 'industry', weight: 1 }], engagement: [], thresholds: { mql: 50, sql: 10 } };
    try {
      validateScoringConfig(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).errors.map((e) => e.path)).toEqual(['fit.0.min', 'fit.1.in', 'thresholds.sql']);
    }
  });
});
