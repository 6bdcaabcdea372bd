/**
 * The formats of the ids that appear in paths, in one place: the HTTP kit checks every path
 * parameter against its format before a handler runs (shared/http/request-checks.ts), and the
 * OpenAPI document shows the same patterns (api/openapi.ts). An id outside its format cannot name
 * a record, and some would not even fit a DynamoDB key (2048 bytes per partition key value).
 * Free of dependencies: every Lambda bundle loads it.
 */
export interface IdFormat {
  readonly pattern: RegExp;
  /** How a client is told what was expected (`Expected <description>`). */
  readonly description: string;
  /**
   * A value outside the format is a 400 naming `path.<name>`, unless this is set: then it is a 404
   * with this message, as for a well-formed id that names nothing (docs/decisions.md 7: a malformed
   * record id is an id that does not exist; a public key reveals nothing).
   */
  readonly notFound?: (name: string) => string;
}

/** Records the API creates (customers, contacts, pools, deals, leads, campaigns...): ULIDs (shared/ids.ts). */
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** User ids as tokens carry them (`sub`, a UUID in Cognito); they become part of a key. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_@.:-]{1,128}$/;

/** An approval: its process's ULID, its step and its slot among the step's approvers. */
export const APPROVAL_ID_PATTERN = /^([0-9A-HJKMNP-TV-Z]{26})-(\d{1,2})-(\d{1,3})$/;

/** SLA policies are named by their admins (`default`, `billing`): a slug, not a ULID (SLA policies applied to cases). */
export const SLA_POLICY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Tenant ids as tokens carry them (`custom:tenantId`). */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The unguessable half of a public form key. */
export const FORM_SECRET_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** A signed unsubscribe token is a path segment: anything longer is not ours (every claim at its longest, an automation send's two ids included, signs to ~740). */
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = 800;

/** An email address at its longest (254) with every character percent-encoded by a client that encodes twice. */
const MAX_EMAIL_SEGMENT_LENGTH = 254 * 3;

export const ID_FORMATS = {
  ulid: {
    pattern: ULID_PATTERN,
    description: 'an id such as 01JD5X8Q2V3M4N5P6R7S8T9VWX (a ULID)',
    notFound: (name) => `Not found: path.${name} is no id of this API (ids are ULIDs such as 01JD5X8Q2V3M4N5P6R7S8T9VWX)`,
  },
  userId: { pattern: USER_ID_PATTERN, description: 'a user id (1-128 letters, digits or _ @ . : -)' },
  // `<tenantId>.<secret>` (shared/forms/form.ts): a tenant id cannot hold a dot, so the last one splits.
  formKey: {
    pattern: new RegExp(`^${TENANT_ID_PATTERN.source.slice(1, -1)}\\.${FORM_SECRET_PATTERN.source.slice(1, -1)}$`),
    description: 'a form key (<tenant>.<32 letters, digits, _ or ->)',
    notFound: () => 'No such form',
  },
  // `<payload>.<signature>`, both base64url (shared/consent/unsubscribe-token.ts, shared/surveys/survey-token.ts, shared/quotes/quote-link-token.ts).
  unsubscribeToken: {
    pattern: new RegExp(`^(?=.{3,${MAX_UNSUBSCRIBE_TOKEN_LENGTH}}$)[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`),
    description: 'a signed link token from a mail (unsubscribe, survey, quote)',
  },
  // The use case decodes and validates the address itself (clients differ in how they encode `@`).
  emailSegment: {
    pattern: new RegExp(`^[^\\s\\u0000-\\u001f\\u007f]{3,${MAX_EMAIL_SEGMENT_LENGTH}}$`),
    description: 'an email address',
  },
  slaPolicyId: { pattern: SLA_POLICY_ID_PATTERN, description: 'a policy id such as default or billing (a-z, 0-9, -; up to 64)' },
  // `<process ULID>-<step>-<slot>` (shared/approvals/approval-process.ts): what deciding needs to find its process.
  approvalId: {
    pattern: APPROVAL_ID_PATTERN,
    description: 'an approval id such as 01JD5X8Q2V3M4N5P6R7S8T9VWX-0-0',
    notFound: () => 'No such approval',
  },
  approvalKind: { pattern: /^[a-z][a-z-]{0,31}$/, description: 'an approval kind (quote-discount, contract, order)', notFound: (name) => `No approval policy of that ${name}` },
} as const satisfies Record<string, IdFormat>;

/**
 * Every path parameter of the route table, by name, with its format. A name means the same kind
 * of id in every route (`id` is the ULID of the path's record), and a unit test fails for a route
 * whose parameter is not listed here.
 */
export const PATH_PARAMETER_FORMATS: Readonly<Record<string, IdFormat>> = {
  id: ID_FORMATS.ulid,
  contactId: ID_FORMATS.ulid,
  userId: ID_FORMATS.userId,
  formKey: ID_FORMATS.formKey,
  token: ID_FORMATS.unsubscribeToken,
  email: ID_FORMATS.emailSegment,
  policyId: ID_FORMATS.slaPolicyId,
  approvalId: ID_FORMATS.approvalId,
  kind: ID_FORMATS.approvalKind,
  // A webhook delivery is named by its event's id.
  deliveryId: ID_FORMATS.ulid,
};
