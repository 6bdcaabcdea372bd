import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { ENV, requireEnv } from '../runtime-env';
import { UserDirectory } from '../users/user-directory';
import type { DigestDeps } from './reclaim-digest';
import { ReclaimRepository } from './reclaim-repository';

/** The digest task's adapters (only it sends mail, so only its bundle holds the SES client). */
export const digestDeps: DigestDeps = {
  users: new UserDirectory(documentClient, requireEnv(ENV.tableName)),
  mailer: stageMail(),
  markers: new ReclaimRepository(documentClient, requireEnv(ENV.tableName)),
};
