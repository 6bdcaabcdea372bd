/**
 * Typed domain errors. Use cases throw these; each says what kind of failure it is, and the HTTP
 * kit's one mapper (shared/http/problem.ts) turns kinds into statuses and RFC 9457 problem
 * details, so neither the core nor a handler decides status codes on its own.
 */
export interface FieldError {
  path: string;
  message: string;
}

/** What went wrong, in terms any adapter (HTTP, a queue, a CLI) can act on. */
export type ErrorKind =
  /** The input breaks a rule; `ValidationFailed` names the fields. */
  | 'invalid'
  /** No verified caller. */
  | 'unauthenticated'
  /** The caller may not do this. */
  | 'forbidden'
  /** No such record, or none the caller may see (the two look the same). */
  | 'not-found'
  /** The record's state does not allow it now (a duplicate, a lost race, a closed deal). */
  | 'conflict'
  /** The record existed and is gone for good (merged, erased). */
  | 'gone'
  /** The version the caller edited is no longer the current one. */
  | 'precondition-failed'
  /** A limit per time window was reached; it resets later. */
  | 'rate-limited';

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  abstract readonly slug: string;
  /** Extra members of the problem body (e.g. the existing customer of a duplicate). */
  readonly extensions: Record<string, unknown> = {};
}

export class ValidationFailed extends DomainError {
  readonly kind = 'invalid';
  readonly slug = 'validation-failed';
  constructor(
    readonly errors: FieldError[],
    message = `Invalid request: ${errors.map((e) => e.path || '(body)').join(', ')}`,
  ) {
    super(message);
  }
}

/** A request that cannot be read at all (an unsubscribe link that does not verify). */
export class MalformedRequest extends DomainError {
  readonly kind = 'invalid';
  readonly slug = 'malformed-request';
}

export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated';
  readonly slug = 'unauthenticated';
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
  readonly slug = 'forbidden';
}

export class NotFound extends DomainError {
  readonly kind = 'not-found';
  readonly slug = 'not-found';
}

export class PreconditionFailed extends DomainError {
  readonly kind = 'precondition-failed';
  readonly slug = 'precondition-failed';
}

export class Conflict extends DomainError {
  readonly kind = 'conflict';
  readonly slug: string = 'conflict';
}

export class CustomerNotFound extends NotFound {
  constructor(customerId: string) {
    super(`Customer ${customerId} not found`);
  }
}

/** Another customer of the tenant already holds this email/phone/domain: tell the rep who is on it. */
export class DuplicateCustomer extends Conflict {
  override readonly slug = 'duplicate-customer';
  constructor(
    readonly field: string,
    readonly value: string,
    readonly existingCustomerId: string,
    readonly existingOwnerId: string | undefined,
  ) {
    super(`Another customer already has the ${field} ${value}`);
    Object.assign(this.extensions, { field, value, existingCustomerId, existingOwnerId: existingOwnerId ?? null });
  }
}

export class ContactNotFound extends NotFound {
  constructor(contactId: string) {
    super(`Contact ${contactId} not found`);
  }
}

/** Contacts are people at a company; a person customer has none. */
export class NotACompany extends Conflict {
  override readonly slug = 'not-a-company';
  constructor(customerId: string) {
    super(`Customer ${customerId} is a person; contacts belong to company customers`);
  }
}

/** The record changed since the client read it (the version it edited is an old one). */
export class StaleVersion extends PreconditionFailed {
  constructor(
    what: 'customer' | 'contact' | 'pool' | 'pipeline' | 'task' | 'user' | 'case' | 'SLA policy' | 'approval policy' | 'product' | 'quote' | 'order' | 'contract' | 'webhook' | 'import',
    readonly currentVersion: number,
  ) {
    super(`The ${what} has changed since the version you sent; it is now at version ${currentVersion}`);
    Object.assign(this.extensions, { currentVersion, currentETag: `"${currentVersion}"` });
  }
}

export class Gone extends DomainError {
  readonly kind = 'gone';
  readonly slug: string = 'gone';
}

/** The customer was merged into another: clients follow `mergedInto` (also sent as Location). */
export class CustomerMerged extends Gone {
  override readonly slug = 'customer-merged';
  constructor(
    customerId: string,
    readonly mergedInto: string,
  ) {
    super(`Customer ${customerId} was merged into ${mergedInto}`);
    Object.assign(this.extensions, { mergedInto, location: `/customers/${mergedInto}` });
  }
}

/** The customer's personal data was erased on request; nothing about them can be served. */
export class CustomerErased extends Gone {
  override readonly slug = 'customer-erased';
  constructor(customerId: string) {
    super(`Customer ${customerId} was erased`);
  }
}

/** A company cannot be merged with a person (their fields and contacts do not fit together). */
export class KindMismatch extends Conflict {
  override readonly slug = 'kind-mismatch';
  constructor(survivorKind: string, sourceKind: string) {
    super(`Cannot merge a ${sourceKind} into a ${survivorKind}: both customers must be of the same kind`);
    Object.assign(this.extensions, { survivorKind, sourceKind });
  }
}

/** The union of both customers' values would exceed a field's limit: the caller trims one side first. */
export class MergeLimitExceeded extends Conflict {
  override readonly slug = 'merge-limit-exceeded';
  constructor(
    readonly field: string,
    readonly limit: number,
    count: number,
  ) {
    super(`Merged, the customers would have ${count} ${field} (at most ${limit}); remove some from one of them first`);
    Object.assign(this.extensions, { field, limit, count });
  }
}

/** Another request merged or changed one of the two customers while this merge was being written. */
export class MergeConflict extends Conflict {
  override readonly slug = 'merge-conflict';
  constructor(message: string, mergedInto?: string) {
    super(message);
    if (mergedInto) Object.assign(this.extensions, { mergedInto });
  }
}

/** The tenant already has a custom field with this key (definitions are immutable). */
export class DuplicateCustomField extends Conflict {
  override readonly slug = 'custom-field-exists';
  constructor(readonly key: string) {
    super(`A custom field ${key} is already defined`);
    Object.assign(this.extensions, { key });
  }
}

/** The tenant has defined as many custom fields as it may. */
export class CustomFieldLimitReached extends Conflict {
  override readonly slug = 'custom-field-limit-reached';
  constructor(readonly limit: number) {
    super(`A tenant may define at most ${limit} custom fields per record kind`);
    Object.assign(this.extensions, { limit });
  }
}

/** A limit per time window was reached: says in how many seconds to try again (HTTP: `Retry-After`). */
export class TooManyRequests extends DomainError {
  readonly kind = 'rate-limited';
  readonly slug: string = 'too-many-requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    Object.assign(this.extensions, { retryAfterSeconds });
  }
}

/** Allocation (docs/allocation.md): someone else got the customer first. */
export class AlreadyClaimed extends Conflict {
  override readonly slug = 'already-claimed';
  constructor(customerId: string) {
    super(`Customer ${customerId} already has an owner`);
  }
}

/** The previous owner may claim the customer back only after the pool's cooldown. */
export class ClaimCooldown extends Conflict {
  override readonly slug = 'claim-cooldown';
  constructor(message: string, readonly until: string) {
    super(message);
    Object.assign(this.extensions, { until });
  }
}

/** The rep claimed as many customers today as the pool's policy allows. */
export class ClaimLimitReached extends TooManyRequests {
  override readonly slug = 'claim-limit-reached';
  constructor(message: string, readonly limit: number, readonly used: number, resetsAt: string, retryAfterSeconds: number) {
    super(message, retryAfterSeconds);
    Object.assign(this.extensions, { limit, used, resetsAt });
  }
}

/** The rep owns as many customers as the pool's policy allows. */
export class MaxOwnedReached extends Conflict {
  override readonly slug = 'max-owned';
  constructor(message: string, readonly limit: number, readonly owned: number) {
    super(message);
    Object.assign(this.extensions, { limit, owned });
  }
}

/** The owner has locked as many customers as the home pool's policy allows. */
export class MaxLockedReached extends Conflict {
  override readonly slug = 'max-locked';
  constructor(message: string, readonly limit: number, readonly locked: number) {
    super(message);
    Object.assign(this.extensions, { limit, locked });
  }
}

/** The operation needs an owned customer (release, lock), or one in a pool (claim). */
export class NotOwned extends Conflict {
  override readonly slug = 'not-owned';
}

export class NotInPool extends Conflict {
  override readonly slug = 'not-in-pool';
}

/** A released customer has nowhere to go: the tenant has no pool yet. */
export class NoPool extends Conflict {
  override readonly slug = 'no-pool';
}

/** A bulk claim named customers that cannot be claimed now: nothing was claimed; each says why. */
export class ClaimUnavailable extends Conflict {
  override readonly slug = 'claim-unavailable';
  constructor(readonly unavailable: { customerId: string; reason: 'already-owned' | 'not-in-pool' | 'cooldown'; until?: string }[]) {
    super(`${unavailable.length} of the customers cannot be claimed now: ${unavailable.map((u) => `${u.customerId} (${u.reason})`).join(', ')}`);
    Object.assign(this.extensions, { unavailable });
  }
}

/**
 * Chosen customers whose open deals and tasks would take the bulk claim past one transaction:
 * nothing was claimed; `books` names each customer carrying some, to claim in smaller requests.
 */
export class ClaimTooLarge extends Conflict {
  override readonly slug = 'claim-too-large';
  constructor(readonly items: number, readonly limit: number, readonly books: { customerId: string; bookItems: number }[]) {
    super(
      `Claiming these customers together moves ${items} items, more than one transaction holds (${limit}); their open deals and tasks move with them: ` +
        `${books.map((b) => `${b.customerId} (${b.bookItems})`).join(', ')}. Claim them in smaller requests`,
    );
    Object.assign(this.extensions, { items, limit, books });
  }
}

/** Leads (docs/leads.md). */
export class LeadNotFound extends NotFound {
  constructor(leadId: string) {
    super(`Lead ${leadId} not found`);
  }
}

/** Another lead of the tenant already has this email or phone: the existing one is named. */
export class DuplicateLead extends Conflict {
  override readonly slug = 'duplicate-lead';
  constructor(readonly existingLeadId: string) {
    super('Another lead already has this email or phone');
    Object.assign(this.extensions, { existingLeadId });
  }
}

/** An unknown or deactivated form key: not found, the same as for a key that never existed. */
export class FormNotFound extends NotFound {
  constructor() {
    super('No such form');
  }
}

/** One source IP sent a form more often than the form allows in a window. */
export class SubmissionRateLimited extends TooManyRequests {
  override readonly slug = 'rate-limited';
  constructor(readonly limit: number, retryAfterSeconds: number) {
    super(`At most ${limit} submissions per minute from one address`, retryAfterSeconds);
    Object.assign(this.extensions, { limit });
  }
}

/** Another transfer of the customer committed first: nothing of this one was written. */
export class TransferConflict extends Conflict {
  override readonly slug = 'transfer-conflict';
  constructor(customerId: string, ownerId: string | null) {
    super(`Customer ${customerId} was transferred meanwhile (its owner is now ${ownerId ?? 'nobody'}); read it and decide again`);
    Object.assign(this.extensions, { ownerId });
  }
}
