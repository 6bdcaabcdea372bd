import { documentClient } from '../aws/dynamodb';
import { OnceStore } from '../idempotency/once-store';
import { ENV, requireEnv } from '../runtime-env';
import { stageMail } from '../aws/stage-mail';

export const welcomeEmailDeps = {
  mailer: stageMail(),
  once: new OnceStore(documentClient, requireEnv(ENV.tableName)),
};
