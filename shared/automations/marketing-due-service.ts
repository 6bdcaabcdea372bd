import { documentClient } from '../aws/dynamodb';
import { clock } from '../clock';
import { ENV, requireEnv } from '../runtime-env';
import { MarketingDueRepository } from './marketing-due-repository';
import type { DueSweepDeps } from './marketing-due-sweep';

/** The sweep's index access, built once per container. */
export const marketingDueDeps: DueSweepDeps = {
  due: new MarketingDueRepository(documentClient, requireEnv(ENV.tableName)),
  nowIso: clock.nowIso,
};
