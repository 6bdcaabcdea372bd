import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { assertCanWriteMarketingSettings, marketingSettingsInput, marketingSettingsView } from '../../shared/consent/marketing-settings';
import { marketingSettingsRepository } from '../../shared/consent/wiring';
import { putMarketingSettings } from '../../shared/consent/marketing-settings-use-cases';
import { templateRepository } from '../../shared/templates/wiring';

/** PUT /marketing-settings: replaces the settings, with If-Match; marketers and admins. */
export const handler = httpHandler({ body: marketingSettingsInput }, async ({ caller, body, headers }) => {
  assertCanWriteMarketingSettings(caller); // 403 before any If-Match complaint, as always
  const settings = await putMarketingSettings(marketingSettingsRepository, templateRepository, caller, body, versionFromIfMatch(headers['if-match']));
  return json(200, marketingSettingsView(settings), { etag: `"${settings.version}"` });
});
