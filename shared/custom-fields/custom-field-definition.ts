import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { text } from '../customers/fields';

/**
 * Typed custom fields a tenant's admin defines for its customers (`POST /custom-fields`). A
 * definition names a key, which becomes a property of the customer's `customFields`, and a type
 * every value of that key must have (custom-field-values.ts checks values against it).
 *
 * Definitions are immutable: changing a type or removing an option would silently invalidate
 * values already stored on customers. No AWS SDK here: the OpenAPI function imports this module.
 */

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'datetime', 'select', 'multiselect', 'url', 'email'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** The record kinds that carry custom fields (only customers so far); part of the definition's key. */
export const CUSTOM_FIELD_ENTITIES = ['customer'] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];

/** A JSON property name clients can use as is: starts with a lower-case letter, then letters, digits, `_`. */
export const CUSTOM_FIELD_KEY = /^[a-z][a-zA-Z0-9_]{0,39}$/;

/** Per tenant and entity; a counter item enforces it in the same transaction as the definition. */
export const MAX_CUSTOM_FIELDS = 100;
export const MAX_OPTIONS = 100;

const WITH_OPTIONS: readonly CustomFieldType[] = ['select', 'multiselect'];
export const hasOptions = (type: CustomFieldType) => WITH_OPTIONS.includes(type);

const options = z.array(text(100)).check(
  z.minLength(1),
  z.maxLength(MAX_OPTIONS),
  z.refine((values) => new Set(values).size === values.length, 'Options must be distinct'),
);

/** Request body of POST /custom-fields. Unknown fields are rejected by name. */
export const defineCustomFieldInput = z
  .strictObject({
    key: z.string().check(z.regex(CUSTOM_FIELD_KEY, 'Expected a lower-case letter, then up to 39 letters, digits or _ (e.g. contractEnd)')),
    label: text(100),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.optional(options),
    description: z.optional(text(500)),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (!(CUSTOM_FIELD_TYPES as readonly string[]).includes(input.type)) return; // the enum already failed
      if (hasOptions(input.type) && input.options === undefined) {
        ctx.issues.push({ code: 'custom', path: ['options'], message: `A ${input.type} field needs its options`, input: input.options });
      }
      if (!hasOptions(input.type) && input.options !== undefined) {
        ctx.issues.push({ code: 'custom', path: ['options'], message: `Only select and multiselect fields have options, not ${input.type}`, input: input.options });
      }
    }),
  );
export type DefineCustomFieldInput = z.output<typeof defineCustomFieldInput>;

export interface CustomFieldDefinition {
  tenantId: string;
  /** The kind of record the field belongs to. */
  appliesTo: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldType;
  /** The allowed values of a select or multiselect field, in display order; null for other types. */
  options: string[] | null;
  description: string | null;
  createdAt: string;
  createdBy: string;
}

export function newCustomFieldDefinition(input: DefineCustomFieldInput, caller: Caller, nowIso: string): CustomFieldDefinition {
  return {
    tenantId: caller.tenantId,
    appliesTo: 'customer',
    key: input.key,
    label: input.label,
    type: input.type,
    options: input.options ?? null,
    description: input.description ?? null,
    createdAt: nowIso,
    createdBy: caller.userId,
  };
}

/** Who may define custom fields: the tenant's admins (they shape every user's forms). */
export function canDefineCustomFields(caller: Caller): boolean {
  return isAdmin(caller);
}

/** The public representation: what POST answers and GET lists. */
export function customFieldView(definition: CustomFieldDefinition) {
  return {
    key: definition.key,
    appliesTo: definition.appliesTo,
    label: definition.label,
    type: definition.type,
    options: definition.options,
    description: definition.description,
    createdAt: definition.createdAt,
    createdBy: definition.createdBy,
  };
}
