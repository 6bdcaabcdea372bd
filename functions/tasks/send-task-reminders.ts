import { eventHandler } from '../../shared/log-context';
import { sendDueReminders } from '../../shared/tasks/task-reminders-use-case';
import { reminderDeps } from '../../shared/tasks/wiring';

/** Every minute: one mail per task whose reminder time has come. */
export const handler = eventHandler(async () => sendDueReminders(reminderDeps));
