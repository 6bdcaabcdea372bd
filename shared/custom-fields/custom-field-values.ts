import * as z from 'zod/mini';
import { type FieldError, ValidationFailed } from '../errors';
import { email } from '../customers/fields';
import { fieldErrors } from '../field-errors';
import type { CustomFieldDefinition } from './custom-field-definition';

/**
 * Custom field values checked against the tenant's definitions. Types are per tenant, so the
 * request schema only knows `customFields` is an object; this module is the second, pure step
 * (no I/O): the use case reads the definitions and hands them in.
 */

export type CustomFieldValue = string | number | boolean | string[];
/** A customer's custom fields: key -> value; a key without a value is absent. */
export type CustomFieldValues = Record<string, CustomFieldValue>;
/** A checked merge patch of custom fields: a value sets its key, `null` removes it. */
export type CustomFieldChanges = Record<string, CustomFieldValue | null>;

/**
 * `customFields` in a customer's create or patch body: any object to the request schema, since
 * the types are the tenant's; `checkCustomFieldChanges` checks it against the definitions.
 */
export const customFieldsInput = z.record(z.string(), z.unknown());

export const MAX_TEXT_LENGTH = 2000;
export const MAX_URL_LENGTH = 2048;
/**
 * What a customer's custom fields may weigh, as JSON. The profile is rewritten with its index
 * copies on every change, so its size is paid on each write; DynamoDB's item limit is 400 KB.
 */
export const MAX_CUSTOM_FIELDS_BYTES = 32 * 1024;

/** What DynamoDB can store: 0, or a magnitude from 1e-130 up to (not including) 1e126. */
const storableNumber = (n: number) => n === 0 || (Math.abs(n) < 1e126 && Math.abs(n) >= 1e-130);

const distinct = (values: readonly string[]) => new Set(values).size === values.length;

/** The schema one value of this field must pass; the output is the value as stored. */
function valueSchema(definition: CustomFieldDefinition): z.ZodMiniType<unknown, unknown> {
  const options = (definition.options ?? []) as [string, ...string[]];
  switch (definition.type) {
    case 'text':
      return z.string().check(z.trim(), z.minLength(1, 'Expected text; send null to remove the value'), z.maxLength(MAX_TEXT_LENGTH));
    case 'number':
      return z.number('Expected a number').check(z.refine(storableNumber, 'Expected 0 or a number whose magnitude lies between 1e-130 and 1e126'));
    case 'boolean':
      return z.boolean('Expected true or false');
    case 'date':
      return z.iso.date('Expected a date such as 2026-03-31');
    case 'datetime':
      // Stored in UTC like every time in the CRM, so values sort and compare as strings.
      return z.pipe(
        z.iso.datetime({ offset: true, error: 'Expected a time with its offset, such as 2026-03-31T14:30:00+02:00 or 2026-03-31T12:30:00Z' }),
        z.transform((value) => new Date(value).toISOString()),
      );
    case 'select':
      return z.enum(options, "Expected one of the field's options");
    case 'multiselect':
      return z
        .array(z.enum(options, "Expected one of the field's options"), 'Expected a list of the field\'s options')
        .check(z.refine(distinct, 'Each option may be chosen once'));
    case 'url':
      return z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL such as https://example.com/page' }).check(z.maxLength(MAX_URL_LENGTH));
    case 'email':
      return email;
  }
}

/**
 * Checks a merge patch of custom fields against the definitions: every key must be defined, every
 * value (but `null`, which removes it) must have the field's type. Answers the values as they are
 * stored (trimmed text, UTC times, lower-case emails); throws ValidationFailed naming each failing
 * key as `customFields.<key>` (and `customFields.<key>.<index>` inside a multiselect list).
 */
export function checkCustomFieldChanges(input: Readonly<Record<string, unknown>>, definitions: readonly CustomFieldDefinition[]): CustomFieldChanges {
  // A Map, not an object: keys such as `constructor` must not find Object.prototype members.
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const errors: FieldError[] = [];
  const changes: [string, CustomFieldValue | null][] = [];
  for (const [key, value] of Object.entries(input)) {
    const path = `customFields.${key}`;
    const definition = byKey.get(key);
    if (!definition) {
      errors.push({ path, message: `No custom field ${key} is defined for customers in this tenant (GET /custom-fields lists them)` });
      continue;
    }
    if (value === null) {
      changes.push([key, null]);
      continue;
    }
    const parsed = valueSchema(definition).safeParse(value);
    if (parsed.success) changes.push([key, parsed.data as CustomFieldValue]);
    else errors.push(...fieldErrors(parsed.error).map((e) => ({ path: e.path ? `${path}.${e.path}` : path, message: e.message })));
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  return Object.fromEntries(changes);
}

/**
 * The custom fields after a checked merge patch: a key present replaces, `null` removes, missing
 * keys stay. Keeps the current order of keys, so an unchanged value compares equal.
 */
export function mergeCustomFields(current: Readonly<CustomFieldValues>, changes: Readonly<Record<string, unknown>> | undefined): CustomFieldValues {
  if (!changes) return current;
  const next = new Map(Object.entries(current));
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.delete(key);
    else next.set(key, value as CustomFieldValue);
  }
  return Object.fromEntries(next);
}

/** Throws when the custom fields would make the profile too heavy (path `customFields`). */
export function customFieldsBytes(values: Readonly<CustomFieldValues>): number {
  return new TextEncoder().encode(JSON.stringify(values)).length;
}

export function assertCustomFieldsFit(values: Readonly<CustomFieldValues>): void {
  const bytes = customFieldsBytes(values);
  if (bytes > MAX_CUSTOM_FIELDS_BYTES) {
    throw new ValidationFailed([
      { path: 'customFields', message: `A customer's custom fields may hold at most ${MAX_CUSTOM_FIELDS_BYTES / 1024} KB of JSON; these would hold ${Math.ceil(bytes / 1024)} KB` },
    ]);
  }
}
