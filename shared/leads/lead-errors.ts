import { Conflict, Gone } from '../errors';

/**
 * Conversion's refusals (docs/leads.md#conversion). Kept beside the leads rather than in
 * shared/errors.ts: only the lead routes throw them.
 */

/** The lead became a customer already: clients follow `customerId`. */
export class LeadConverted extends Conflict {
  override readonly slug = 'lead-converted';
  constructor(leadId: string, readonly customerId: string) {
    super(`Lead ${leadId} was converted into customer ${customerId}`);
    Object.assign(this.extensions, { customerId, location: `/customers/${customerId}` });
  }
}

/** A disqualified lead is out; a rep qualifies it again (`POST /leads/{id}/qualify`) before converting it. */
export class LeadDisqualified extends Conflict {
  override readonly slug = 'lead-disqualified';
  constructor(leadId: string) {
    super(`Lead ${leadId} is disqualified; qualify it again before converting it`);
  }
}

/**
 * Another customer holds the lead's email, phone or company domain, so converting it would create
 * a duplicate: nothing was written. Same slug as `POST /customers`' clash, so clients handle both
 * alike; the holder is named only to a caller who may read it (`existingCustomerId` null otherwise),
 * who can then attach the lead to it with `customerId`.
 */
export class ConversionDuplicate extends Conflict {
  override readonly slug = 'duplicate-customer';
  constructor(readonly field: string, value: string, existingCustomerId: string | null) {
    super(`Another customer already has the ${field} ${value}${existingCustomerId ? `; convert into ${existingCustomerId} with customerId` : ''}`);
    Object.assign(this.extensions, { field, value, existingCustomerId });
  }
}

/** The lead or the customer kept changing while the conversion was written (retried, then given up). */
export class ConversionConflict extends Conflict {
  override readonly slug = 'conversion-conflict';
  constructor() {
    super('The lead or the customer changed while the conversion was written; send it again');
  }
}

/** The lead's personal data was erased on request (docs/privacy.md, "Leads"); nothing about it can be served or changed. */
export class LeadErased extends Gone {
  override readonly slug = 'lead-erased';
  constructor(leadId: string) {
    super(`Lead ${leadId} was erased`);
  }
}
