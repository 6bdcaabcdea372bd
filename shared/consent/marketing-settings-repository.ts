import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { putAtVersion } from '../aws/put-at-version';
import { keys } from '../keys';
import { defaultMarketingSettings, type MarketingSettings, StaleMarketingSettings, WELCOME_LANGUAGES } from './marketing-settings-record';

function toSettings(tenantId: string, item: Record<string, unknown>): MarketingSettings {
  const defaults = defaultMarketingSettings(tenantId);
  const cap = item.frequencyCap as MarketingSettings['frequencyCap'] | undefined;
  return {
    tenantId,
    frequencyCap: cap ? { maxEmails: Number(cap.maxEmails), windowDays: Number(cap.windowDays) } : defaults.frequencyCap,
    offerLockDays: typeof item.offerLockDays === 'number' ? item.offerLockDays : defaults.offerLockDays,
    doubleOptIn: item.doubleOptIn === true,
    welcomeEmail: toWelcomeEmail(item.welcomeEmail, defaults.welcomeEmail),
    version: Number(item.version),
    updatedAt: typeof item.updatedAt === 'string' ? item.updatedAt : null,
    updatedBy: typeof item.updatedBy === 'string' ? item.updatedBy : null,
  };
}

// Settings saved before the welcome mail had a switch have none: they get the default.
function toWelcomeEmail(stored: unknown, defaults: MarketingSettings['welcomeEmail']): MarketingSettings['welcomeEmail'] {
  if (!stored || typeof stored !== 'object') return defaults;
  const w = stored as Record<string, unknown>;
  const language = WELCOME_LANGUAGES.find((l) => l === w.language) ?? defaults.language;
  return { enabled: w.enabled !== false, templateId: typeof w.templateId === 'string' ? w.templateId : null, topic: typeof w.topic === 'string' ? w.topic : defaults.topic, language };
}

/** The tenant's marketing settings item (`T#<t>#MKTCONFIG` / `SETTINGS`); absent means the defaults, version 0. */
export class MarketingSettingsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, consistent = false): Promise<MarketingSettings> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.marketingSettings(tenantId), ConsistentRead: consistent }));
    return result.Item ? toSettings(tenantId, result.Item) : defaultMarketingSettings(tenantId);
  }

  /**
   * Stores `settings` if the stored ones are still at `expectedVersion` (0: none stored yet), so
   * two edits of one version cannot both win; the loser's 412 names the current version.
   */
  async replace(settings: MarketingSettings, expectedVersion: number): Promise<void> {
    const { tenantId, ...stored } = settings;
    const item = { ...keys.marketingSettings(tenantId), entity: 'MarketingSettings', tenantId, ...stored };
    const result = await putAtVersion(this.db, this.tableName, item, expectedVersion === 0 ? 'absent' : expectedVersion);
    if (!result.written) throw new StaleMarketingSettings(result.currentVersion ?? 0);
  }
}
