import { describe, expect, it, vi } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { newTask } from '../../../shared/tasks/task';
import { type ReminderDeps, renderReminder, sendDueReminders } from '../../../shared/tasks/task-reminders-use-case';
import type { DueReminder } from '../../../shared/tasks/task-repository';

const rep: Caller = { userId: 'rep-1', tenantId: 't1', groups: ['rep'] };
const task = newTask(
  { title: 'Call <Acme>', type: 'call', dueAt: '2026-12-07T09:00:00Z', remindAt: '2026-12-07T08:45:00Z', description: 'Ask about "the quote"' },
  { customerId: 'C1', dealId: null, leadId: null },
  'rep-1',
  rep,
  'T1',
  '2026-12-06T10:00:00.000Z',
);
const due = (taskId: string): DueReminder => ({ tenantId: 't1', taskId, partition: 'T#t1#C#C1', sortKey: `TASK#${taskId}`, dueKey: `2026-12-07T08:45:00.000Z#t1#${taskId}` });

function deps(overrides: Partial<{ claim: ReminderDeps['tasks']['claimReminder']; send: ReminderDeps['mailer']['sendSimple']; email: string | null }> = {}) {
  const finished: { taskId: string; failure: string | null }[] = [];
  const sent: { to: string; subject: string }[] = [];
  const d: ReminderDeps = {
    tasks: {
      dueReminders: vi.fn(async () => [due('T1'), due('T2')]),
      claimReminder: overrides.claim ?? (async (r) => ({ ...task, id: r.taskId })),
      finishReminder: async (r, _lease, _at, failure) => void finished.push({ taskId: r.taskId, failure }),
    },
    users: { get: async () => ({ email: overrides.email === undefined ? 'rep@example.com' : overrides.email, name: 'Rita' }) },
    mailer: {
      sendSimple:
        overrides.send ??
        (async (mail) => {
          sent.push({ to: mail.to, subject: mail.subject });
          return { messageId: 'm' };
        }),
    },
  };
  return { d, finished, sent };
}

describe('the reminder sweep', () => {
  it('mails each due reminder to its assignee, then takes it out of the index', async () => {
    const { d, finished, sent } = deps();
    expect(await sendDueReminders(d)).toEqual({ due: 2, sent: 2, noAddress: 0, failed: 0, skipped: 0 });
    expect(sent).toEqual([
      { to: 'rep@example.com', subject: 'Reminder: Call: Call <Acme>' },
      { to: 'rep@example.com', subject: 'Reminder: Call: Call <Acme>' },
    ]);
    expect(finished).toEqual([
      { taskId: 'T1', failure: null },
      { taskId: 'T2', failure: null },
    ]);
  });

  it('sends nothing for a reminder another sweep claimed', async () => {
    const { d, sent, finished } = deps({ claim: async (r) => (r.taskId === 'T1' ? undefined : { ...task, id: r.taskId }) });
    expect(await sendDueReminders(d)).toMatchObject({ sent: 1, skipped: 1 });
    expect(sent).toHaveLength(1);
    expect(finished.map((f) => f.taskId)).toEqual(['T2']);
  });

  it('records why when the assignee has no address, and stops trying', async () => {
    const { d, finished, sent } = deps({ email: null });
    expect(await sendDueReminders(d)).toMatchObject({ noAddress: 2 });
    expect(sent).toHaveLength(0);
    expect(finished[0]!.failure).toMatch(/no email address/);
  });

  it('leaves a reminder whose mail failed claimed, to come due again after the lease', async () => {
    const { d, finished } = deps({ send: async () => Promise.reject(new Error('SES down')) });
    expect(await sendDueReminders(d)).toMatchObject({ failed: 2, sent: 0 });
    expect(finished).toHaveLength(0);
  });

  it('escapes what the user typed in the HTML part', () => {
    const mail = renderReminder(task, 'Rita <R>');
    expect(mail.html).not.toContain('<Acme>');
    expect(mail.html).toContain('Call &#60;Acme&#62;');
    expect(mail.text).toContain('Due 2026-12-07 09:00 UTC');
  });
});
