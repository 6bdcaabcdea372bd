import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { Forbidden } from '../../../shared/errors';
import type { Caller } from '../../../shared/access/caller';
import {
  defaultMarketingSettings,
  MARKETING_SETTINGS_DEFAULTS,
  marketingSettingsInput,
  marketingSettingsView,
  StaleMarketingSettings,
} from '../../../shared/consent/marketing-settings';
import { MarketingSettingsRepository } from '../../../shared/consent/marketing-settings-repository';
import { getMarketingSettings, putMarketingSettings } from '../../../shared/consent/marketing-settings-use-cases';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new MarketingSettingsRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const marketer: Caller = { userId: 'm-1', tenantId: 'acme', groups: ['marketer'] };
const rep: Caller = { userId: 'r-1', tenantId: 'acme', groups: ['rep'] };
const KEY = { PK: 'T#acme#MKTCONFIG', SK: 'SETTINGS' };
const templates = { get: async (_tenantId: string, templateId: string) => (templateId === 'tpl-1' ? { id: 'tpl-1' } : undefined) };
const input = { frequencyCap: { maxEmails: 5, windowDays: 14 }, offerLockDays: 30 };

beforeEach(() => ddb.reset());

describe('marketing settings input', () => {
  it('bounds every number and names the field', () => {
    const paths = (body: unknown) => {
      const result = marketingSettingsInput.safeParse(body);
      return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths(input)).toEqual([]);
    expect(paths({ frequencyCap: { maxEmails: 3, windowDays: 7 } })).toEqual([]);
    expect(paths({ frequencyCap: { maxEmails: 0, windowDays: 7 } })).toEqual(['frequencyCap.maxEmails']);
    expect(paths({ frequencyCap: { maxEmails: 101, windowDays: 7 } })).toEqual(['frequencyCap.maxEmails']);
    expect(paths({ frequencyCap: { maxEmails: 3, windowDays: 91 } })).toEqual(['frequencyCap.windowDays']);
    expect(paths({ frequencyCap: { maxEmails: 2.5, windowDays: 7 } })).toEqual(['frequencyCap.maxEmails']);
    expect(paths({ ...input, offerLockDays: 0 })).toEqual(['offerLockDays']);
    expect(paths({ offerLockDays: 3 })).toEqual(['frequencyCap']);
    expect(paths({ ...input, welcomeEmail: { enabled: false } })).toEqual([]);
    expect(paths({ ...input, welcomeEmail: { enabled: true, templateId: 'tpl-1', topic: 'welcome' } })).toEqual([]);
    expect(paths({ ...input, welcomeEmail: { enabled: 'no' } })).toEqual(['welcomeEmail.enabled']);
    expect(paths({ ...input, welcomeEmail: { enabled: true, topic: 'Not A Topic' } })).toEqual(['welcomeEmail.topic']);
    expect(paths({ ...input, welcomeEmail: { enabled: true, templateId: 'a/b' } })).toEqual(['welcomeEmail.templateId']);
    expect(paths({ ...input, welcomeEmail: { enabled: true, language: 'de' } })).toEqual([]);
    expect(paths({ ...input, welcomeEmail: { enabled: true, language: 'klingon' } })).toEqual(['welcomeEmail.language']);
  });
});

describe('marketing settings use cases', () => {
  it('reads the defaults, version 0, when the tenant never saved any', async () => {
    ddb.on(GetCommand).resolves({});
    const settings = await getMarketingSettings(repository(), rep);
    expect(marketingSettingsView(settings)).toEqual({ ...MARKETING_SETTINGS_DEFAULTS, isDefault: true, version: 0, updatedAt: null, updatedBy: null });
  });

  it('saves the first settings over version 0 only if none exist yet', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const saved = await putMarketingSettings(repository(), templates, marketer, input, 0);
    expect(saved).toMatchObject({ ...input, version: 1, updatedBy: 'm-1' });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({ Item: { ...KEY, ...input, version: 1 }, ConditionExpression: 'attribute_not_exists(PK)' });
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input.ConsistentRead).toBe(true);
  });

  it('fills a left-out offerLockDays with the default', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...KEY, ...input, version: 2 } });
    ddb.on(PutCommand).resolves({});
    const saved = await putMarketingSettings(repository(), templates, marketer, { frequencyCap: input.frequencyCap }, 2);
    expect(saved).toMatchObject({ offerLockDays: MARKETING_SETTINGS_DEFAULTS.offerLockDays, version: 3 });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({ ConditionExpression: '#version = :expected', ExpressionAttributeValues: { ':expected': 2 } });
  });

  it('stores the welcome mail switch, template and topic, and fills what is left out with the defaults', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const off = await putMarketingSettings(repository(), templates, marketer, { ...input, welcomeEmail: { enabled: false } }, 0);
    expect(off.welcomeEmail).toEqual({ enabled: false, templateId: null, topic: 'marketing', language: 'en' });
    const own = await putMarketingSettings(repository(), templates, marketer, { ...input, welcomeEmail: { enabled: true, templateId: 'tpl-1', topic: 'welcome' } }, 0);
    expect(own.welcomeEmail).toEqual({ enabled: true, templateId: 'tpl-1', topic: 'welcome', language: 'en' });
    expect(ddb.commandCalls(PutCommand)[1]!.args[0].input.Item).toMatchObject({ welcomeEmail: { enabled: true, templateId: 'tpl-1', topic: 'welcome' } });
    expect((await putMarketingSettings(repository(), templates, marketer, input, 0)).welcomeEmail).toEqual(MARKETING_SETTINGS_DEFAULTS.welcomeEmail);
  });

  it('refuses a welcome template the tenant does not have, naming the field, before writing', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(putMarketingSettings(repository(), templates, marketer, { ...input, welcomeEmail: { enabled: true, templateId: 'gone' } }, 0)).rejects.toMatchObject({
      errors: [{ path: 'welcomeEmail.templateId' }],
    });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('reads settings saved before the welcome switch existed as welcome on, built-in template in English', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...KEY, ...input, version: 2 } });
    expect((await repository().get('acme')).welcomeEmail).toEqual({ enabled: true, templateId: null, topic: 'marketing', language: 'en' });
  });

  it('reads a welcome saved before it had a language as English, and a stored language as it is', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { ...KEY, ...input, welcomeEmail: { enabled: true, templateId: null, topic: 'welcome' }, version: 2 } })
      .resolvesOnce({ Item: { ...KEY, ...input, welcomeEmail: { enabled: true, templateId: null, topic: 'welcome', language: 'zh' }, version: 3 } });
    expect((await repository().get('acme')).welcomeEmail.language).toBe('en');
    expect((await repository().get('acme')).welcomeEmail.language).toBe('zh');
  });

  it('answers 412 naming the current version for a stale expected version, before writing', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...KEY, ...input, version: 2 } });
    await expect(putMarketingSettings(repository(), templates, marketer, input, 1)).rejects.toMatchObject({ currentVersion: 2 });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('turns a lost write race into the same 412', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'x', $metadata: {}, Item: marshall({ ...KEY, version: 1 }) as never }));
    await expect(putMarketingSettings(repository(), templates, marketer, input, 0)).rejects.toEqual(new StaleMarketingSettings(1));
  });

  it('needs a marketer or admin (403); the defaults are version 0', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(putMarketingSettings(repository(), templates, rep, input, 0)).rejects.toBeInstanceOf(Forbidden);
    expect(defaultMarketingSettings('acme').version).toBe(0);
  });
});
