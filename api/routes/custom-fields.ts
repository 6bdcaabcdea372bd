import { defineCustomFieldInput, MAX_CUSTOM_FIELDS } from '../../shared/custom-fields/custom-field-definition';
import { MAX_TEXT_LENGTH } from '../../shared/custom-fields/custom-field-values';
import { customFieldListResponse, customFieldResponse } from '../responses/common';
import { areaRoutes } from '../route';

/** The tenant's custom field definitions. */
export const CUSTOM_FIELDS_ROUTES = areaRoutes('custom-fields', 'stateless', [
  {
    method: 'POST',
    path: '/custom-fields',
    auth: 'jwt',
    handler: 'functions/custom-fields/define-custom-field.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Define a custom field',
      description:
        "Adds a typed field to the tenant's customers: its `key` becomes a property of every customer's `customFields`. " +
        'Types: `text` (at most ' + MAX_TEXT_LENGTH + ' characters), `number`, `boolean`, `date` (`2026-03-31`), `datetime` (ISO 8601 with offset; stored in UTC), ' +
        '`select` (one of `options`), `multiselect` (a list of distinct `options`), `url` (http or https), `email` (stored lower case). ' +
        '`options` (1-100 distinct strings) are required for select and multiselect and rejected for the other types. ' +
        `Definitions cannot be changed or removed (a new type would invalidate stored values); a tenant may define at most ${MAX_CUSTOM_FIELDS}. Admins only.`,
      tags: ['CustomFields'],
      requestBody: { schema: defineCustomFieldInput, description: 'The field. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Defined.', schema: customFieldResponse },
      errors: {
        400: 'The body is not valid JSON (`malformed-request`) or fails the schema, e.g. a key that is not a JSON-friendly name or `options` missing for a select (`validation-failed`, paths such as `key`, `options`).',
        403: 'Only an admin may define custom fields (`forbidden`).',
        409: `The key is already defined (\`custom-field-exists\`, the body names \`key\`), or the tenant has ${MAX_CUSTOM_FIELDS} custom fields already (\`custom-field-limit-reached\`).`,
      },
    },
  },
  {
    method: 'GET',
    path: '/custom-fields',
    auth: 'jwt',
    handler: 'functions/custom-fields/list-custom-fields.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's custom fields",
      description: "Every custom field defined for the tenant's customers, in key order: what forms show and what `customFields` accepts. Any signed-in user of the tenant.",
      tags: ['CustomFields'],
      success: { status: 200, description: 'The definitions.', schema: customFieldListResponse },
    },
  },
]);
