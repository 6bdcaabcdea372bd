import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { AutomationRepository } from './automation-repository';
import type { AutomationDeps } from './automation-use-cases';
import { TemplateRepository } from '../templates/template-repository';

/** What the automation handlers use (no SES client: they only read templates), built once per container. */
export const automationDeps: AutomationDeps = {
  automations: new AutomationRepository(documentClient, requireEnv(ENV.tableName)),
  templates: new TemplateRepository(documentClient, requireEnv(ENV.tableName)),
};
