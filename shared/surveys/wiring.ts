// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { caseRepository } from '../cases/wiring';
import { suppressionRepository } from '../consent/wiring';
import { unsubscribeSecret } from '../consent/unsubscribe-secret-repository';
import { ContactRepository } from '../contacts/contact-repository';
import { customerRepository } from '../customers/wiring';
import { OnceStore } from '../idempotency/once-store';
import { requireEnv } from '../runtime-env';
import { taskRepository } from '../tasks/wiring';
import { userDirectory } from '../users/wiring';
import type { SurveyFollowUpDeps } from './survey-follow-up-use-case';
import { SurveyRepository } from './survey-repository';
import type { SurveySendDeps } from './survey-send-use-case';
import type { SurveyLinkDeps } from './survey-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const surveyRepository = /* @__PURE__ */ new SurveyRepository(documentClient, tableName);

/** The public link routes: the survey and the link secret (read on first use). */
export const surveyLinkDeps: SurveyLinkDeps = { surveys: surveyRepository, secret: unsubscribeSecret };

/** Only the sender mails, so only its bundle holds the SES client. */
export const surveySendDeps: SurveySendDeps = {
  surveys: surveyRepository,
  cases: caseRepository,
  customers: customerRepository,
  contacts: /* @__PURE__ */ new ContactRepository(documentClient, tableName),
  users: userDirectory,
  suppressions: suppressionRepository,
  once: /* @__PURE__ */ new OnceStore(documentClient, tableName),
  mailer: /* @__PURE__ */ stageMail(),
  secret: unsubscribeSecret,
  apiBaseUrl: /* @__PURE__ */ requireEnv('API_BASE_URL'),
};

export const surveyFollowUpDeps: SurveyFollowUpDeps = {
  tasks: taskRepository,
  cases: caseRepository,
  customers: customerRepository,
};
