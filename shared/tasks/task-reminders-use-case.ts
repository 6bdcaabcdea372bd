import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import { escapeHtml } from '../html';
import { logError } from '../log';
import type { Task } from './task';
import type { DueReminder, TaskRepository } from './task-repository';

/** How often the reminder sweep runs: a reminder goes out at most this late (docs/decisions.md, 59). */
export const REMINDER_SWEEP_MINUTES = 5;

/**
 * The reminder sweep (docs/tasks.md#reminders), every few minutes: each task whose `remindAt` has come
 * gets one mail to its assignee. A reminder is claimed (its index entry moved a lease ahead)
 * before the mail goes out and leaves the index after: two sweeps never both send it, and a
 * sender that dies mid-way leaves it to come due again when the lease ends.
 */

export interface ReminderDeps {
  tasks: Pick<TaskRepository, 'dueReminders' | 'claimReminder' | 'finishReminder'>;
  users: { get(tenantId: string, userId: string): Promise<{ email?: string | null; name?: string | null } | undefined> };
  mailer: Pick<SesMail, 'sendSimple'>;
}

/** Reminders per Query page, and pages per run: what one run sends before the next minute's takes over. */
const PAGE = 100;
const MAX_PAGES = 10;
/** How long a claimed reminder waits for its sender before it comes due again. */
export const REMINDER_LEASE_MS = 5 * 60 * 1000;

export interface ReminderRun {
  due: number;
  sent: number;
  noAddress: number;
  failed: number;
  /** Claimed by another sweep, or changed since the Query. */
  skipped: number;
}

export async function sendDueReminders(deps: ReminderDeps): Promise<ReminderRun> {
  const run: ReminderRun = { due: 0, sent: 0, noAddress: 0, failed: 0, skipped: 0 };
  for (let page = 0; page < MAX_PAGES; page++) {
    const due = await deps.tasks.dueReminders(clock.nowIso(), PAGE);
    run.due += due.length;
    for (const reminder of due) run[await remind(deps, reminder)] += 1;
    if (due.length < PAGE) break;
  }
  return run;
}

async function remind(deps: ReminderDeps, due: DueReminder): Promise<'sent' | 'noAddress' | 'failed' | 'skipped'> {
  const leaseUntil = new Date(clock.nowMs() + REMINDER_LEASE_MS).toISOString();
  try {
    const task = await deps.tasks.claimReminder(due, leaseUntil);
    // Another sweep claimed it, or the task changed since the Query: nothing to send now.
    if (!task) return 'skipped';
    const user = await deps.users.get(due.tenantId, task.assigneeId);
    if (!user?.email) {
      await deps.tasks.finishReminder(due, leaseUntil, clock.nowIso(), 'The assignee has no email address in the user directory');
      return 'noAddress';
    }
    await deps.mailer.sendSimple({ to: user.email, ...renderReminder(task, user.name), tags: { tenantId: due.tenantId, kind: 'task-reminder' } });
    await deps.tasks.finishReminder(due, leaseUntil, clock.nowIso(), null);
    return 'sent';
  } catch (error) {
    // Left claimed: it comes due again when the lease ends.
    logError('tasks: reminder not sent', error, { tenantId: due.tenantId, taskId: due.taskId });
    return 'failed';
  }
}

const TYPE_WORD: Record<Task['type'], string> = { call: 'Call', email: 'Email', meeting: 'Meeting', todo: 'To-do' };
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The mail: what, when it is due, and where it sits. */
export function renderReminder(task: Task, name: string | null | undefined) {
  const hello = `Hello${name ? ` ${name}` : ''},`;
  const what = `${TYPE_WORD[task.type]}: ${task.title}`;
  const lines = [`${what}`, `Due ${when(task.dueAt)}`, ...(task.description ? ['', task.description] : [])];
  const text = [hello, '', ...lines, '', `Task ${task.id}`, 'Your CRM'].join('\n');
  const html = [`<p>${escapeHtml(hello)}</p>`, `<p><strong>${escapeHtml(what)}</strong><br>Due ${escapeHtml(when(task.dueAt))}</p>`, task.description ? `<p>${escapeHtml(task.description)}</p>` : '', `<p>Task ${escapeHtml(task.id)}</p><p>Your CRM</p>`].join('');
  return { subject: `Reminder: ${what}`, text, html };
}
