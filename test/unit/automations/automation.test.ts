import { describe, expect, it } from 'vitest';
import { Forbidden } from '../../../shared/errors';
import {
  applyAutomationPatch,
  assertCanManageAutomations,
  automationPatch,
  automationView,
  createAutomationInput,
  eventPatternErrors,
  MAX_DELAY_SECONDS,
  MAX_EVENT_PATTERN_CHARS,
  newAutomation,
} from '../../../shared/automations/automation';

const marketer = { userId: 'm-1', tenantId: 't1', groups: ['marketer' as const] };
const NOW = '2027-01-01T10:00:00.000Z';
const input = { name: 'Welcome customers', eventPattern: { 'detail-type': ['crm.customer.stage-changed.v1'], detail: { data: { to: ['customer'] } } }, templateId: 'TPL1', topic: 'marketing' };

describe('eventPatternErrors', () => {
  it('accepts a valid EventBridge pattern', () => {
    expect(eventPatternErrors(input.eventPattern)).toEqual([]);
    expect(eventPatternErrors({ $or: [{ detail: { data: { to: ['customer'] } } }, { detail: { data: { version: [{ numeric: ['>=', 2] }] } } }] })).toEqual([]);
  });

  it('names the failing part of the pattern under eventPattern, with the matcher\'s reason', () => {
    expect(eventPatternErrors({ detail: { data: { to: [{ prefx: 'cust' }] } } })).toEqual([
      { path: 'eventPattern.detail.data.to[0]', message: expect.stringContaining('unknown operator "prefx"') },
    ]);
    expect(eventPatternErrors({ 'detail-type': 'crm.customer.updated.v1' } as Record<string, unknown>)).toEqual([
      { path: 'eventPattern.detail-type', message: expect.stringContaining('must be an array of match values') },
    ]);
    expect(eventPatternErrors({ detail: { data: { version: [{ numeric: ['>', 'two'] }] } } })[0]?.path).toBe('eventPattern.detail.data.version[0].numeric[1]');
    expect(eventPatternErrors({ $or: [{ source: ['crm'] }] })[0]?.path).toBe('eventPattern.$or');
  });

  it('names eventPattern itself for an empty pattern and for one longer than EventBridge allows', () => {
    expect(eventPatternErrors({})).toEqual([{ path: 'eventPattern', message: 'empty objects are not allowed' }]);
    const long = { detail: { data: { tag: Array.from({ length: 500 }, (_, i) => `value-${i}`) } } };
    expect(JSON.stringify(long).length).toBeGreaterThan(MAX_EVENT_PATTERN_CHARS);
    expect(eventPatternErrors(long)).toEqual([{ path: 'eventPattern', message: expect.stringContaining(`${MAX_EVENT_PATTERN_CHARS} characters`) }]);
  });
});

describe('the input schemas', () => {
  it('accept delays from 0 to 30 days and consent topic slugs, naming the field otherwise', () => {
    expect(createAutomationInput.safeParse({ ...input, delay: MAX_DELAY_SECONDS }).success).toBe(true);
    const paths = (value: unknown) => (createAutomationInput.safeParse(value).error?.issues ?? []).map((i) => i.path.join('.'));
    expect(paths({ ...input, delay: MAX_DELAY_SECONDS + 1 })).toEqual(['delay']);
    expect(paths({ ...input, delay: -1 })).toEqual(['delay']);
    expect(paths({ ...input, delay: 1.5 })).toEqual(['delay']);
    expect(paths({ ...input, topic: 'Marketing' })).toEqual(['topic']);
    expect(paths({ ...input, eventPattern: ['crm'] })).toEqual(['eventPattern']);
    expect(paths({ ...input, templateId: 'a/b' })).toEqual(['templateId']);
    expect(paths({ ...input, extra: 1 })).toEqual(['']);
    expect(automationPatch.safeParse({ enabled: 'no' }).success).toBe(false);
  });
});

describe('automations', () => {
  it('default to no delay and enabled, at version 1', () => {
    const a = newAutomation(input, marketer, 'A1', NOW);
    expect(a).toMatchObject({ id: 'A1', tenantId: 't1', delay: 0, enabled: true, version: 1, createdBy: 'm-1', updatedAt: NOW });
    expect(automationView(a)).not.toHaveProperty('tenantId');
  });

  it('a patch replaces the pattern whole and bumps the version; a patch that changes nothing keeps it', () => {
    const before = newAutomation({ ...input, eventPattern: { source: ['crm'], detail: { data: { to: ['customer'] } } } }, marketer, 'A1', NOW);
    const { after, changed } = applyAutomationPatch(before, { eventPattern: { detail: { data: { from: ['lead'] } } }, enabled: false }, marketer, '2027-01-02T00:00:00.000Z');
    expect(changed).toBe(true);
    expect(after).toMatchObject({ eventPattern: { detail: { data: { from: ['lead'] } } }, enabled: false, version: 2, updatedAt: '2027-01-02T00:00:00.000Z' });
    expect(applyAutomationPatch(before, { name: before.name, delay: 0 }, marketer, '2027-01-02T00:00:00.000Z')).toEqual({ after: before, changed: false });
  });

  it('are managed by marketers and admins only', () => {
    expect(() => assertCanManageAutomations({ ...marketer, groups: ['admin'] })).not.toThrow();
    for (const group of ['rep', 'manager', 'agent'] as const) expect(() => assertCanManageAutomations({ ...marketer, groups: [group] })).toThrow(Forbidden);
  });
});
