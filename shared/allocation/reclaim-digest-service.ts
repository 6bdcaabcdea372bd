import { documentClient } from '../aws/dynamodb';
import { sesV2 } from '../aws/sesv2';
import { SesMailer } from '../aws/mailer';
import { ENV, optionalEnv, requireEnv } from '../runtime-env';
import { UserDirectory } from '../users/user-directory';
import type { DigestDeps } from './reclaim-digest';
import { ReclaimRepository } from './reclaim-repository';

/** The digest task's adapters (only it sends mail, so only its bundle holds the SES client). */
export const digestDeps: DigestDeps = {
  users: new UserDirectory(documentClient, requireEnv(ENV.tableName)),
  mailer: new SesMailer(sesV2, requireEnv(ENV.mailFrom), optionalEnv(ENV.sesConfigurationSet)),
  markers: new ReclaimRepository(documentClient, requireEnv(ENV.tableName)),
};
