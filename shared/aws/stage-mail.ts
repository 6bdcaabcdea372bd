import { ENV, optionalEnv, requireEnv } from '../runtime-env';
import { SesMail } from './ses-mail';
import { sesV2 } from './sesv2';

/** The stage's mail adapter: every sender mails from the stage's address through its configuration set. */
export function stageMail(): SesMail {
  return new SesMail(sesV2, requireEnv(ENV.mailFrom), optionalEnv(ENV.sesConfigurationSet));
}
