// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/wiring';
import { poolRepository } from '../pools/wiring';
import { requireEnv } from '../runtime-env';
import { TaskRepository } from '../tasks/task-repository';
import { userDirectory } from '../users/wiring';
import { ActivityRepository } from './activity-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const activityRepositories = {
  customers: customerRepository,
  activities: /* @__PURE__ */ new ActivityRepository(documentClient, tableName),
  pools: poolRepository,
  tasks: /* @__PURE__ */ new TaskRepository(documentClient, tableName),
  users: userDirectory,
};

/** The timeline consumer (RecordTimelineEntry): the entries and, to follow a merge, the profiles. */
export const timelineEntryDeps = {
  timeline: activityRepositories.activities,
  customers: customerRepository,
};
