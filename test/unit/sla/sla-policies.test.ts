import { describe, expect, it } from 'vitest';
import { categoryClashes, policyForCategory, slaPolicyInput } from '../../../shared/sla/sla-policies';
import { fieldErrors } from '../../../shared/field-errors';

/** The field paths a 400 would name for this body; none when it is valid. */
const pathsOf = (body: unknown) => {
  const result = slaPolicyInput.safeParse(body);
  return result.success ? [] : fieldErrors(result.error).map((e) => e.path);
};

const targets = { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 480 };
const body = { name: 'Standard', calendar: { timeZone: 'Europe/Berlin', weeklyHours: { monday: [{ start: '09:00', end: '17:00' }] } }, targets: { low: targets, normal: targets, high: targets, urgent: targets } };

describe('SLA policies as a resource', () => {
  it('takes the policy body with the categories it is for and whom it escalates to (both default empty)', () => {
    const parsed = slaPolicyInput.parse(body);
    expect(parsed).toMatchObject({ categories: [], escalateTo: [], warningPercentUsed: 80, levelOverrides: {} });
  });

  it('names the fields it refuses', () => {
    expect(pathsOf(body)).toEqual([]);
    expect(pathsOf({ ...body, categories: ['Billing!'], escalateTo: ['no spaces'], targets: { ...body.targets, urgent: { ...targets, resolutionMinutes: 0 } }, extra: 1 })).toEqual(
      expect.arrayContaining(['categories.0', 'escalateTo.0', 'targets.urgent.resolutionMinutes', 'extra']),
    );
  });

  it('gives a case the policy listing its category, else default, else none', () => {
    const policies = [
      { id: 'default', categories: [] },
      { id: 'billing', categories: ['billing', 'refunds'] },
    ];
    expect(policyForCategory(policies, 'refunds')?.id).toBe('billing');
    expect(policyForCategory(policies, 'general')?.id).toBe('default');
    expect(policyForCategory([{ id: 'billing', categories: ['billing'] }], 'general')).toBeNull();
    // Two policies listing one category (only a race of two PUTs makes that): the smallest id, whatever the order read.
    expect(policyForCategory([{ id: 'zeta', categories: ['x'] }, { id: 'alpha', categories: ['x'] }], 'x')?.id).toBe('alpha');
  });

  it('refuses a category another policy lists, at its index', () => {
    const policies = [{ id: 'billing', categories: ['billing'] }];
    expect(categoryClashes(policies, 'vip', ['general', 'billing'])).toEqual([{ path: 'categories.1', message: expect.stringContaining('billing') }]);
    expect(categoryClashes(policies, 'billing', ['billing'])).toEqual([]);
  });
});
