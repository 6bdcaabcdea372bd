import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { Forbidden } from '../errors';
import {
  canDefineCustomFields,
  type CustomFieldDefinition,
  type CustomFieldEntity,
  type DefineCustomFieldInput,
  newCustomFieldDefinition,
} from './custom-field-definition';
import type { CustomFieldCatalog, CustomFieldRepository } from './custom-field-repository';
import {
  assertCustomFieldsFit,
  checkCustomFieldChanges,
  type CustomFieldChanges,
  type CustomFieldValues,
  mergeCustomFields,
} from './custom-field-values';

/** POST /custom-fields: admins only; a taken key answers 409, as does the tenant's cap. */
export async function defineCustomField(repository: CustomFieldRepository, caller: Caller, input: DefineCustomFieldInput): Promise<CustomFieldDefinition> {
  if (!canDefineCustomFields(caller)) throw new Forbidden('Only an admin may define custom fields');
  const definition = newCustomFieldDefinition(input, caller, clock.nowIso());
  await repository.define(definition);
  return definition;
}

/** GET /custom-fields: every user of the tenant needs them to show and fill in the fields. */
export async function listCustomFields(catalog: CustomFieldCatalog, caller: Caller, entity: CustomFieldEntity = 'customer'): Promise<CustomFieldDefinition[]> {
  return catalog.list(caller.tenantId, entity);
}

/**
 * The custom fields of a create or merge patch, checked against the tenant's definitions (read
 * only when the request carries `customFields`, so requests without them cost no extra read),
 * and the record's custom fields after the change must still fit. Throws ValidationFailed.
 */
export async function checkedCustomFields(
  catalog: CustomFieldCatalog,
  tenantId: string,
  input: Readonly<Record<string, unknown>> | undefined,
  current: Readonly<CustomFieldValues> = {},
): Promise<CustomFieldChanges | undefined> {
  if (input === undefined) return undefined;
  const changes = Object.keys(input).length === 0 ? {} : checkCustomFieldChanges(input, await catalog.list(tenantId, 'customer'));
  assertCustomFieldsFit(mergeCustomFields(current, changes));
  return changes;
}
