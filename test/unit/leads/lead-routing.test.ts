import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors';
import { availableReps, DEFAULT_RESPOND_WITHIN_MINUTES, pickLeastLoaded, repForTicket, routesAt, routeToTeam, type RoutingConfig, validateRoutingConfig } from '../../../shared/leads/lead-routing';

const config: RoutingConfig = {
  rules: [
    { name: 'EMEA software', teamId: 'emea-sw', regions: ['EMEA'], industries: ['Software'], respondWithinMinutes: 15 },
    { name: 'EMEA', teamId: 'emea', regions: ['emea'] },
  ],
  defaultTeamId: 'inbound',
  teams: [
    { teamId: 'emea-sw', reps: [{ userId: 'a', available: true }, { userId: 'b', available: false }, { userId: 'c', available: true }] },
    { teamId: 'emea', reps: [{ userId: 'd', available: true }] },
    { teamId: 'inbound', reps: [] },
  ],
};
const lead = (region: string | null, industry: string | null) => ({ region, industry, product: null });

describe('routeToTeam', () => {
  it('takes the first rule whose criteria all match, case ignored', () => {
    expect(routeToTeam(config, lead('emea', 'software'))).toEqual({ teamId: 'emea-sw', rule: 'EMEA software', respondWithinMinutes: 15 });
    expect(routeToTeam(config, lead('EMEA', 'Retail'))).toEqual({ teamId: 'emea', rule: 'EMEA', respondWithinMinutes: DEFAULT_RESPOND_WITHIN_MINUTES });
  });

  it("gives first contact the rule's response time, else the configuration's, else an hour", () => {
    expect(routeToTeam({ ...config, respondWithinMinutes: 240 }, lead('EMEA', 'Retail'))?.respondWithinMinutes).toBe(240);
    expect(routeToTeam({ ...config, respondWithinMinutes: 240 }, lead(null, null))?.respondWithinMinutes).toBe(240);
    expect(DEFAULT_RESPOND_WITHIN_MINUTES).toBe(60);
  });

  it('falls back to the default team, or to nobody', () => {
    expect(routeToTeam(config, lead(null, null))).toEqual({ teamId: 'inbound', rule: 'default', respondWithinMinutes: 60 });
    expect(routeToTeam({ ...config, defaultTeamId: undefined }, lead('APAC', null))).toBeUndefined();
  });
});

describe('round-robin by ticket', () => {
  it('skips unavailable reps and gives every rep one lead before anyone gets a second', () => {
    const reps = availableReps(config, 'emea-sw');
    expect(reps).toEqual(['a', 'c']);
    expect([1, 2, 3, 4, 5].map((ticket) => repForTicket(reps, ticket))).toEqual(['a', 'c', 'a', 'c', 'a']);
  });

  it('spreads any number of consecutive tickets within one of even', () => {
    const reps = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
    const counts = new Map<string, number>();
    for (let t = 1; t <= 1000; t++) counts.set(repForTicket(reps, t), (counts.get(repForTicket(reps, t)) ?? 0) + 1);
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
  });
});

describe('routesAt and validateRoutingConfig', () => {
  it('routes at capture by default, or at the configured level', () => {
    expect(routesAt(config, null)).toBe(true);
    expect(routesAt({ ...config, assignOn: 'mql' }, null)).toBe(false);
    expect(routesAt({ ...config, assignOn: 'mql' }, 'mql')).toBe(true);
  });

  it('names rules and defaults that point at unknown teams', () => {
    const bad: RoutingConfig = { rules: [{ name: 'x', teamId: 'ghost' }], defaultTeamId: 'nobody', teams: [] };
    expect(() => validateRoutingConfig(bad)).toThrow(ValidationFailed);
    try {
      validateRoutingConfig(bad);
    } catch (error) {
      expect((error as ValidationFailed).errors.map((e) => e.path)).toEqual(['rules.0.teamId', 'defaultTeamId']);
    }
  });
});

describe('pickLeastLoaded', () => {
  it('takes the rep with the fewest open leads, counting a missing count as none', () => {
    expect(pickLeastLoaded(['a', 'b', 'c'], new Map([['a', 3], ['b', 1], ['c', 2]]), 1)).toBe('b');
    expect(pickLeastLoaded(['a', 'b', 'c'], new Map([['a', 3], ['b', 1]]), 1)).toBe('c');
  });

  it('breaks ties by the ticket rotation, so concurrent captures spread over tied reps', () => {
    const loads = new Map([['a', 2], ['b', 2], ['c', 2]]);
    expect([1, 2, 3].map((ticket) => pickLeastLoaded(['a', 'b', 'c'], loads, ticket))).toEqual(['a', 'b', 'c']);
  });
});
