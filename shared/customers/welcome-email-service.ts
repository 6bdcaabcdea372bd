import { documentClient } from '../aws/dynamodb';
import { sesV2 } from '../aws/sesv2';
import { OnceStore } from '../idempotency/once-store';
import { ENV, optionalEnv, requireEnv } from '../runtime-env';
import { SesMailer } from '../aws/mailer';

export const welcomeEmailDeps = {
  mailer: new SesMailer(sesV2, requireEnv(ENV.mailFrom), optionalEnv(ENV.sesConfigurationSet)),
  once: new OnceStore(documentClient, requireEnv(ENV.tableName)),
};
