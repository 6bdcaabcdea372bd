import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { validationPaths } from '../validation-paths';
import {
  checkRemindAt,
  completedTask,
  createTaskInput,
  endOfLocalDay,
  newTask,
  parseTimeZone,
  patchedTask,
  reminderPending,
  subjectOf,
  taskWindowRange,
  timelineTypeOf,
} from '../../../shared/tasks/task';

const rep: Caller = { userId: 'rep-1', tenantId: 't1', groups: ['rep'] };
const NOW = Date.parse('2026-12-06T15:30:00.000Z');
const subject = { customerId: '01JD0000000000000000000001', dealId: null, leadId: null };
const task = () => newTask({ title: 'Call back', type: 'call', dueAt: '2026-12-07T09:00:00+01:00', remindAt: '2026-12-07T07:45:00Z' }, subject, 'rep-1', rep, 'T1', '2026-12-06T15:30:00.000Z');

/** The paths a rule names when it refuses; none when it accepts. */
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch {
    return validationPaths(fn);
  }
  return [];
};

describe('a new task', () => {
  it('names exactly one record: none or two is a 400 at customerId', () => {
    expect(subjectOf({ dealId: 'D' })).toEqual({ kind: 'deal', id: 'D' });
    expect(fieldOf(() => subjectOf({}))).toEqual(['customerId']);
    expect(fieldOf(() => subjectOf({ customerId: 'C', leadId: 'L' }))).toEqual(['customerId']);
  });

  it('stores times in UTC, open, version 1, reminder armed', () => {
    const t = task();
    expect(t).toMatchObject({ status: 'open', dueAt: '2026-12-07T08:00:00.000Z', remindAt: '2026-12-07T07:45:00.000Z', version: 1, source: 'user', assigneeId: 'rep-1' });
    expect(reminderPending(t)).toBe(true);
  });

  it('refuses a reminder in the past (a minute of skew tolerated), naming remindAt', () => {
    expect(fieldOf(() => checkRemindAt('2026-12-06T15:29:30.000Z', NOW))).toEqual([]);
    expect(fieldOf(() => checkRemindAt('2026-12-06T15:00:00.000Z', NOW))).toEqual(['remindAt']);
    expect(fieldOf(() => checkRemindAt(null, NOW))).toEqual([]);
  });

  it('validates its body: type, times with an offset, ids', () => {
    expect(createTaskInput.safeParse({ title: 'x', type: 'fax', dueAt: '2026-12-07T09:00:00Z', customerId: '01JD0000000000000000000001' }).success).toBe(false);
    expect(createTaskInput.safeParse({ title: 'x', type: 'todo', dueAt: 'tomorrow', customerId: '01JD0000000000000000000001' }).success).toBe(false);
    expect(createTaskInput.safeParse({ title: 'x', type: 'todo', dueAt: '2026-12-07T09:00:00Z', customerId: 'not-an-id' }).success).toBe(false);
    expect(createTaskInput.safeParse({ title: 'x', type: 'todo', dueAt: '2026-12-07T09:00:00Z', customerId: '01JD0000000000000000000001' }).success).toBe(true);
  });
});

describe('changing and completing', () => {
  it('a new remindAt arms the reminder again; an unchanged one keeps it as it was', () => {
    const sent = { ...task(), reminderSentAt: '2026-12-07T07:45:10.000Z' };
    expect(reminderPending(patchedTask(sent, { title: 'Call back (2)' }, rep, 'now'))).toBe(false);
    const moved = patchedTask(sent, { remindAt: '2026-12-08T07:45:00Z' }, rep, 'now');
    expect(moved).toMatchObject({ remindAt: '2026-12-08T07:45:00.000Z', reminderSentAt: null, version: 2 });
    expect(reminderPending(moved)).toBe(true);
    expect(reminderPending(patchedTask(sent, { remindAt: null }, rep, 'now'))).toBe(false);
  });

  it('completion records who, when, the outcome and the timeline entry; nothing is pending after', () => {
    const done = completedTask(task(), { outcome: 'reached', note: 'Wants a quote' }, rep, 'A1', '2026-12-07T08:05:00.000Z');
    expect(done).toMatchObject({ status: 'done', outcome: 'reached', completionNote: 'Wants a quote', completedBy: 'rep-1', activityId: 'A1', version: 2 });
    expect(reminderPending(done)).toBe(false);
  });

  it('lands on the timeline as the matching kind (a to-do as a note)', () => {
    expect(['call', 'email', 'meeting', 'todo'].map((t) => timelineTypeOf(t as 'call'))).toEqual(['call', 'email', 'meeting', 'note']);
  });
});

describe('the lists of GET /tasks', () => {
  it('split open tasks at now and at the end of the caller’s day, with no gap and no overlap', () => {
    const overdue = taskWindowRange('overdue', NOW, 'UTC');
    const today = taskWindowRange('today', NOW, 'UTC');
    const upcoming = taskWindowRange('upcoming', NOW, 'UTC');
    expect(overdue).toEqual({ status: 'open', before: '2026-12-06T15:30:00.000Z', newestFirst: false });
    expect(today).toEqual({ status: 'open', from: '2026-12-06T15:30:00.000Z', before: '2026-12-07T00:00:00.000Z', newestFirst: false });
    expect(upcoming).toEqual({ status: 'open', from: '2026-12-07T00:00:00.000Z', newestFirst: false });
    expect(taskWindowRange('done', NOW, 'UTC')).toEqual({ status: 'done', newestFirst: true });

    // Sort keys are `<dueAt>#<id>`: where does a task due exactly at a bound go?
    const inRange = (r: { from?: string; before?: string }, sk: string) => (r.from === undefined || sk >= r.from) && (r.before === undefined || sk < r.before);
    for (const due of ['2026-12-06T15:30:00.000Z', '2026-12-07T00:00:00.000Z', '2026-12-06T15:29:59.999Z']) {
      const sk = `${due}#01JD0000000000000000000009`;
      expect([overdue, today, upcoming].filter((r) => inRange(r, sk))).toHaveLength(1);
    }
  });

  it('end the day at local midnight, across time zones and daylight saving changes', () => {
    expect(new Date(endOfLocalDay(NOW, 'Europe/Berlin')).toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(new Date(endOfLocalDay(NOW, 'America/Los_Angeles')).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(new Date(endOfLocalDay(Date.parse('2026-12-06T23:30:00.000Z'), 'Europe/Berlin')).toISOString()).toBe('2026-12-07T23:00:00.000Z');
    // 29 March 2026: Berlin moves from +01:00 to +02:00; the next midnight is at +02:00.
    expect(new Date(endOfLocalDay(Date.parse('2026-03-29T10:00:00.000Z'), 'Europe/Berlin')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // 25 October 2026: back to +01:00.
    expect(new Date(endOfLocalDay(Date.parse('2026-10-25T10:00:00.000Z'), 'Europe/Berlin')).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('take an IANA zone, or answer 400 at query.tz', () => {
    expect(parseTimeZone(undefined)).toBe('UTC');
    expect(parseTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(fieldOf(() => parseTimeZone('Mars/Olympus'))).toEqual(['query.tz']);
  });
});
