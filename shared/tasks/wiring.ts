// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { ActivityRepository } from '../activities/activity-repository';
import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { customerRepository } from '../customers/wiring';
import { DealRepository } from '../deals/deal-repository';
import { leadRepository } from '../leads/wiring';
import { requireEnv } from '../runtime-env';
import { userDirectory } from '../users/wiring';
import { TaskRepository } from './task-repository';
import type { FirstContactDeps } from './first-contact-use-case';
import type { ReminderDeps } from './task-reminders-use-case';
import type { TaskDeps } from './task-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');
export const taskRepository = /* @__PURE__ */ new TaskRepository(documentClient, tableName);
const deals = /* @__PURE__ */ new DealRepository(documentClient, tableName);
const leadOf = async (tenantId: string, leadId: string) => (await leadRepository.load(tenantId, leadId))?.lead;

export const taskDeps: TaskDeps = {
  tasks: taskRepository,
  activities: /* @__PURE__ */ new ActivityRepository(documentClient, tableName),
  records: {
    customer: (tenantId, customerId) => customerRepository.get(tenantId, customerId),
    deal: (tenantId, dealId) => deals.get(tenantId, dealId),
    lead: leadOf,
  },
  users: userDirectory,
};

export const reminderDeps: ReminderDeps = {
  tasks: taskRepository,
  users: userDirectory,
  mailer: /* @__PURE__ */ stageMail(),
};

export const firstContactDeps: FirstContactDeps = {
  tasks: taskRepository,
  leads: { lead: leadOf },
};
