import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { type FieldError, ValidationFailed } from '../errors';
import { newId } from '../ids';
import {
  applyAutomationPatch,
  assertCanManageAutomations,
  type Automation,
  type AutomationPatch,
  AutomationNotFound,
  type CreateAutomationInput,
  eventPatternErrors,
  newAutomation,
  StaleAutomation,
} from './automation';
import type { AutomationRepository } from './automation-repository';
import type { AutomationStats } from './automation-stats';
import type { AutomationStatsRepository } from './automation-stats-repository';
import type { TemplateRepository } from '../templates/template-repository';

export interface AutomationDeps {
  automations: Pick<AutomationRepository, 'get' | 'list' | 'create' | 'replace' | 'delete'>;
  templates: Pick<TemplateRepository, 'get'>;
  stats: Pick<AutomationStatsRepository, 'get'>;
}

/** The pattern's and the template's problems together, so one 400 names every field at fault. */
async function assertUsable(deps: AutomationDeps, tenantId: string, fields: { eventPattern?: Record<string, unknown>; templateId?: string }): Promise<void> {
  const errors: FieldError[] = fields.eventPattern ? eventPatternErrors(fields.eventPattern) : [];
  if (fields.templateId !== undefined && !(await deps.templates.get(tenantId, fields.templateId))) {
    errors.push({ path: 'templateId', message: `No template ${fields.templateId} in this tenant` });
  }
  if (errors.length) throw new ValidationFailed(errors);
}

/** POST /automations: marketers and admins; the pattern must be a valid EventBridge pattern and the template must exist. */
export async function createAutomation(deps: AutomationDeps, caller: Caller, input: CreateAutomationInput): Promise<Automation> {
  assertCanManageAutomations(caller);
  await assertUsable(deps, caller.tenantId, input);
  const automation = newAutomation(input, caller, newId(), clock.nowIso());
  await deps.automations.create(automation);
  return automation;
}

export async function getAutomation(deps: Pick<AutomationDeps, 'automations'>, caller: Caller, automationId: string, consistent = false): Promise<Automation> {
  assertCanManageAutomations(caller);
  const automation = await deps.automations.get(caller.tenantId, automationId, consistent);
  if (!automation) throw new AutomationNotFound(automationId);
  return automation;
}

/**
 * GET /automations/{id}: the automation and its statistics, two GetItems at once. The counters are
 * eventually consistent with the sends (a mail of this second may not show yet), never double.
 */
export async function getAutomationWithStats(deps: Pick<AutomationDeps, 'automations' | 'stats'>, caller: Caller, automationId: string): Promise<{ automation: Automation; stats: AutomationStats }> {
  assertCanManageAutomations(caller);
  const [automation, stats] = await Promise.all([deps.automations.get(caller.tenantId, automationId), deps.stats.get(caller.tenantId, automationId)]);
  if (!automation) throw new AutomationNotFound(automationId);
  return { automation, stats };
}

export async function listAutomations(deps: Pick<AutomationDeps, 'automations'>, caller: Caller): Promise<Automation[]> {
  assertCanManageAutomations(caller);
  return deps.automations.list(caller.tenantId);
}

/** PATCH /automations/{id}: merge patch at the version the client read (412 when stale); a changed pattern or template is checked as on create. */
export async function updateAutomation(deps: AutomationDeps, caller: Caller, automationId: string, patch: AutomationPatch, expectedVersion: number): Promise<Automation> {
  assertCanManageAutomations(caller);
  const before = await getAutomation(deps, caller, automationId, true);
  if (before.version !== expectedVersion) throw new StaleAutomation(before.version);
  const { after, changed } = applyAutomationPatch(before, patch, caller, clock.nowIso());
  if (!changed) return before;
  await assertUsable(deps, caller.tenantId, { eventPattern: patch.eventPattern, templateId: patch.templateId === before.templateId ? undefined : patch.templateId });
  await deps.automations.replace(after, before.version);
  return after;
}

/** DELETE /automations/{id}: sends it had scheduled are skipped when they fall due (the automation is gone). */
export async function deleteAutomation(deps: Pick<AutomationDeps, 'automations'>, caller: Caller, automationId: string): Promise<void> {
  assertCanManageAutomations(caller);
  await deps.automations.delete(caller.tenantId, automationId);
}
