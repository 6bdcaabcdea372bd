import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { ValidationFailed } from '../errors';
import {
  assertCanWriteMarketingSettings,
  type MarketingSettings,
  type MarketingSettingsInput,
  replacedMarketingSettings,
  StaleMarketingSettings,
} from './marketing-settings';
import type { MarketingSettingsRepository } from './marketing-settings-repository';

/** GET /marketing-settings: any user of the tenant (no customer data); the defaults, version 0, until first saved. */
export async function getMarketingSettings(repository: Pick<MarketingSettingsRepository, 'get'>, caller: Caller): Promise<MarketingSettings> {
  return repository.get(caller.tenantId);
}

/**
 * PUT /marketing-settings: marketers and admins replace the settings at the version they read
 * (version 0 edits the defaults). A stale version answers 412 before anything is written,
 * and the write itself is conditional on that version.
 */
export async function putMarketingSettings(
  repository: Pick<MarketingSettingsRepository, 'get' | 'replace'>,
  templates: { get(tenantId: string, templateId: string): Promise<object | undefined> },
  caller: Caller,
  input: MarketingSettingsInput,
  expectedVersion: number,
): Promise<MarketingSettings> {
  assertCanWriteMarketingSettings(caller);
  const templateId = input.welcomeEmail?.templateId;
  // A welcome mail naming no template would only be found out when a customer is created.
  if (templateId && !(await templates.get(caller.tenantId, templateId))) {
    throw new ValidationFailed([{ path: 'welcomeEmail.templateId', message: `No template ${templateId} in this tenant` }]);
  }
  const before = await repository.get(caller.tenantId, true);
  if (before.version !== expectedVersion) throw new StaleMarketingSettings(before.version);
  const after = replacedMarketingSettings(before, input, caller, clock.nowIso());
  await repository.replace(after, expectedVersion);
  return after;
}
