import { httpHandler, json } from '../../shared/http/http-handler';
import { marketingSettingsView } from '../../shared/consent/marketing-settings';
import { marketingSettingsRepository } from '../../shared/consent/wiring';
import { getMarketingSettings } from '../../shared/consent/marketing-settings-use-cases';

/** GET /marketing-settings: the tenant's frequency cap and offer lock length (defaults until saved). */
export const handler = httpHandler({}, async ({ caller }) => {
  const settings = await getMarketingSettings(marketingSettingsRepository, caller);
  return json(200, marketingSettingsView(settings), { etag: `"${settings.version}"` });
});
