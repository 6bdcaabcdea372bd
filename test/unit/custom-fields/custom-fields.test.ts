import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type CustomFieldDefinition,
  customFieldView,
  defineCustomFieldInput,
  MAX_CUSTOM_FIELDS,
  newCustomFieldDefinition,
} from '../../../shared/custom-fields/custom-field-definition';
import { type CustomFieldCatalog, CustomFieldRepository } from '../../../shared/custom-fields/custom-field-repository';
import { checkedCustomFields, defineCustomField, listCustomFields } from '../../../shared/custom-fields/custom-field-use-cases';
import { CustomFieldLimitReached, DuplicateCustomField, Forbidden, ValidationFailed } from '../../../shared/errors';
import { fieldErrors } from '../../../shared/field-errors';
import type { Caller } from '../../../shared/access/caller';

const NOW = '2026-11-22T10:00:00.000Z';
const admin: Caller = { userId: 'admin-1', tenantId: 'acme', groups: ['admin'] };

/** The failing paths of a definition body, sorted. */
function invalidPaths(body: unknown): string[] {
  const result = defineCustomFieldInput.safeParse(body);
  return result.success ? [] : fieldErrors(result.error).map((e) => e.path).sort();
}

describe('defineCustomFieldInput', () => {
  it.each(['text', 'number', 'boolean', 'date', 'datetime', 'url', 'email'])('accepts a %s field without options', (type) => {
    expect(invalidPaths({ key: 'someField', label: 'Some field', type })).toEqual([]);
  });

  it.each(['select', 'multiselect'])('accepts a %s field with options, trimmed', (type) => {
    expect(defineCustomFieldInput.parse({ key: 'tier', label: ' Tier ', type, options: [' gold', 'silver '], description: 'Support tier' })).toEqual({
      key: 'tier',
      label: 'Tier',
      type,
      options: ['gold', 'silver'],
      description: 'Support tier',
    });
  });

  it.each([
    ['Tier', 'upper-case start'],
    ['1tier', 'digit start'],
    ['_tier', 'underscore start'],
    ['tier-level', 'hyphen'],
    ['tier level', 'space'],
    ['__proto__', 'prototype'],
    [`k${'x'.repeat(40)}`, '41 characters'],
    ['', 'empty'],
  ])('rejects the key %j (%s)', (key) => {
    expect(invalidPaths({ key, label: 'L', type: 'text' })).toEqual(['key']);
  });

  it('accepts keys of 1 and 40 characters with camelCase, digits and _', () => {
    expect(invalidPaths({ key: 'a', label: 'L', type: 'text' })).toEqual([]);
    expect(invalidPaths({ key: `contract_End2${'x'.repeat(27)}`, label: 'L', type: 'text' })).toEqual([]);
  });

  it('requires options for select and multiselect, naming options', () => {
    expect(invalidPaths({ key: 'tier', label: 'Tier', type: 'select' })).toEqual(['options']);
    expect(invalidPaths({ key: 'tier', label: 'Tier', type: 'multiselect' })).toEqual(['options']);
  });

  it('rejects options for the other types, naming options', () => {
    expect(invalidPaths({ key: 'seats', label: 'Seats', type: 'number', options: ['1'] })).toEqual(['options']);
  });

  it('wants 1 to 100 distinct options of at most 100 characters', () => {
    const body = (options: unknown) => ({ key: 'tier', label: 'Tier', type: 'select', options });
    expect(invalidPaths(body([]))).toEqual(['options']);
    expect(invalidPaths(body(['gold', ' gold']))).toEqual(['options']);
    expect(invalidPaths(body(Array.from({ length: 101 }, (_, i) => `o${i}`)))).toEqual(['options']);
    expect(invalidPaths(body(Array.from({ length: 100 }, (_, i) => `o${i}`)))).toEqual([]);
    expect(invalidPaths(body(['x'.repeat(101)]))).toEqual(['options.0']);
    expect(invalidPaths(body(['']))).toEqual(['options.0']);
  });

  it('wants a label of 1 to 100 characters, a known type, and nothing else', () => {
    expect(invalidPaths({ key: 'k', label: '', type: 'text' })).toEqual(['label']);
    expect(invalidPaths({ key: 'k', label: 'x'.repeat(101), type: 'text' })).toEqual(['label']);
    expect(invalidPaths({ key: 'k', label: 'L', type: 'currency' })).toEqual(['type']);
    expect(invalidPaths({ key: 'k', label: 'L', type: 'currency', options: ['EUR'] })).toEqual(['type']);
    expect(invalidPaths({ key: 'k', label: 'L', type: 'text', required: true })).toEqual(['required']);
  });
});

describe('use cases', () => {
  const repository = () => ({ define: vi.fn(async () => undefined), list: vi.fn(async () => []) }) as unknown as CustomFieldRepository & { define: ReturnType<typeof vi.fn> };

  it('an admin defines a field for the customers of their tenant', async () => {
    const repo = repository();
    const definition = await defineCustomField(repo, admin, defineCustomFieldInput.parse({ key: 'seats', label: 'Seats', type: 'number' }));

    expect(definition).toMatchObject({ tenantId: 'acme', appliesTo: 'customer', key: 'seats', options: null, description: null, createdBy: 'admin-1' });
    expect(repo.define).toHaveBeenCalledWith(definition);
  });

  it.each([['manager'], ['rep'], ['marketer'], ['agent']] as const)('a %s may not define fields', async (group) => {
    const repo = repository();
    await expect(defineCustomField(repo, { ...admin, groups: [group] }, defineCustomFieldInput.parse({ key: 'k', label: 'L', type: 'text' }))).rejects.toThrow(Forbidden);
    expect(repo.define).not.toHaveBeenCalled();
  });

  it("anyone lists the caller's tenant's customer fields", async () => {
    const catalog: CustomFieldCatalog = { list: vi.fn(async () => []) };
    await listCustomFields(catalog, { userId: 'rep-1', tenantId: 'other', groups: ['rep'] });
    expect(catalog.list).toHaveBeenCalledWith('other', 'customer');
  });

  describe('checkedCustomFields', () => {
    const seats = newCustomFieldDefinition(defineCustomFieldInput.parse({ key: 'seats', label: 'Seats', type: 'number' }), admin, NOW);
    const catalog = () => ({ list: vi.fn(async (): Promise<CustomFieldDefinition[]> => [seats]) });

    it('reads no definitions when the request carries no custom fields', async () => {
      const c = catalog();
      expect(await checkedCustomFields(c, 'acme', undefined)).toBeUndefined();
      expect(await checkedCustomFields(c, 'acme', {})).toEqual({});
      expect(c.list).not.toHaveBeenCalled();
    });

    it("checks values against the tenant's definitions", async () => {
      const c = catalog();
      expect(await checkedCustomFields(c, 'acme', { seats: 4 })).toEqual({ seats: 4 });
      expect(c.list).toHaveBeenCalledWith('acme', 'customer');
      await expect(checkedCustomFields(c, 'acme', { seats: 'four' })).rejects.toThrow(ValidationFailed);
    });

    it('rejects changes that would make the stored fields too large, counting what stays', async () => {
      const notes = newCustomFieldDefinition(defineCustomFieldInput.parse({ key: 'notes', label: 'Notes', type: 'text' }), admin, NOW);
      const c = { list: async () => [seats, notes] };
      const current = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`n${i}`, 'x'.repeat(2000)]));
      await expect(checkedCustomFields(c, 'acme', { notes: 'x'.repeat(2000) }, current)).rejects.toThrow(ValidationFailed);
      await expect(checkedCustomFields(c, 'acme', { seats: 1 }, {})).resolves.toEqual({ seats: 1 });
    });
  });
});

describe('CustomFieldRepository', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const repo = () => new CustomFieldRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
  const definition = newCustomFieldDefinition(defineCustomFieldInput.parse({ key: 'tier', label: 'Tier', type: 'select', options: ['gold'] }), admin, NOW);
  const cancelled = (codes: string[]) =>
    new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

  beforeEach(() => ddb.reset());

  it('writes the definition if its key is free and counts it if the tenant is below the cap, in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await repo().define(definition);

    const [put, counter] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(put!.Put).toMatchObject({
      Item: { PK: 'T#acme#SCHEMA', SK: 'FIELD#customer#tier', entity: 'CustomFieldDefinition', key: 'tier', type: 'select', options: ['gold'], appliesTo: 'customer' },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(counter!.Update).toMatchObject({
      Key: { PK: 'T#acme#SCHEMA', SK: '$COUNT#FIELD#customer' },
      UpdateExpression: 'SET #entity = :entity ADD #count :one',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
      ExpressionAttributeValues: { ':max': MAX_CUSTOM_FIELDS, ':one': 1 },
    });
  });

  it('turns a taken key into DuplicateCustomField and a full tenant into CustomFieldLimitReached', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(['ConditionalCheckFailed', 'None'])).rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']));

    await expect(repo().define(definition)).rejects.toBeInstanceOf(DuplicateCustomField);
    await expect(repo().define(definition)).rejects.toBeInstanceOf(CustomFieldLimitReached);
  });

  it('reports a taken key first when the tenant is also full', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'ConditionalCheckFailed']));
    await expect(repo().define(definition)).rejects.toMatchObject({ kind: 'conflict', slug: 'custom-field-exists', extensions: { key: 'tier' } });
  });

  it('lists with one consistent Query on the tenant schema partition, without the counter', async () => {
    const { PK, SK, entity, ...stored } = { PK: 'T#acme#SCHEMA', SK: 'FIELD#customer#tier', entity: 'CustomFieldDefinition', ...definition };
    ddb.on(QueryCommand).resolves({ Items: [{ PK, SK, entity, ...stored }] });

    expect(await repo().list('acme', 'customer')).toEqual([definition]);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': 'T#acme#SCHEMA', ':prefix': 'FIELD#customer#' },
      ConsistentRead: true,
    });
    expect(customFieldView(definition)).not.toHaveProperty('tenantId');
  });
});
