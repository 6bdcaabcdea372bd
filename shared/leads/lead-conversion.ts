import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import type { Activity } from '../activities/activity';
import { consentFromLead } from '../consent/consent-capture';
import { type Contact, newContact } from '../contacts/contact';
import { type Customer, type LifecycleStage, newCustomer } from '../customers/customer';
import { domain, text } from '../customers/fields';
import { createDealInput } from '../deals/deal';
import { ValidationFailed } from '../errors';
import { type Lead, type LeadConversionRecord, matchCandidates, type Signal } from './lead';

/**
 * Converting a lead into a customer (docs/leads.md#conversion), the pure part: what the customer,
 * the contact, the timeline entry and the converted lead look like. The use case reads, these
 * decide, lead-conversion-items.ts turns the decision into one transaction.
 */

/** The deal fields of `POST /deals` without `customerId`: the conversion names the customer. */
const conversionDealInput = z.omit(createDealInput, { customerId: true });
export type ConversionDealInput = z.output<typeof conversionDealInput>;

/**
 * Request body of `POST /leads/{id}/convert`. `customerId` attaches the lead to an existing
 * customer; otherwise a new one is made of the lead: a company when `company` is given or the lead
 * names one (`company: null` forces a person), else a person. `deal` opens an opportunity.
 */
export const convertLeadInput = z
  .strictObject({
    customerId: z.optional(z.string().check(z.minLength(1, 'Expected a customer id'), z.maxLength(64))),
    company: z.optional(z.nullable(z.strictObject({ name: z.optional(text(200)), domain: z.optional(domain) }))),
    deal: z.optional(conversionDealInput),
  })
  .check(
    z.refine((body) => !(body.customerId !== undefined && body.company !== undefined), {
      message: 'Give customerId to attach the lead, or company to create one, not both',
      path: ['company'],
    }),
  );
export type ConvertLeadInput = z.output<typeof convertLeadInput>;

/** The name a person made of the lead goes by: a lead always has an email or a phone. */
export function personName(lead: Pick<Lead, 'name' | 'email' | 'phone'>): string {
  return lead.name ?? lead.email ?? lead.phone ?? 'Unknown';
}

/**
 * The stage the new customer starts in: an opportunity when a deal opens with it, else as far as
 * the lead got (MQL, SQL), else `lead`.
 */
export function lifecycleFromLead(lead: Pick<Lead, 'qualifiedLevel'>, withDeal: boolean): LifecycleStage {
  if (withDeal) return 'opportunity';
  return lead.qualifiedLevel ?? 'lead';
}

export interface NewCustomerOwner {
  id: string;
  teamId: string | null;
}

/**
 * Who owns the customer made of a lead: the rep the lead was assigned to (routing already chose
 * them), else the converting rep; a manager or an admin converting an unassigned lead creates an
 * unassigned customer, as `POST /customers` does.
 */
export function newCustomerOwnerId(lead: Pick<Lead, 'ownerId'>, caller: Caller): string | null {
  if (lead.ownerId !== null) return lead.ownerId;
  return caller.groups.includes('rep') ? caller.userId : null;
}

/**
 * The customer a lead becomes. The lead's email and phone go on the customer (a company too), so
 * its uniqueness guards claim them: the next capture with that email lands on this customer's
 * timeline, and a clash with a customer created after the lead fails the conversion. A company's
 * domain is the one given, else the lead's, else its email's unless a free-mail provider (the
 * capture matched on the same values).
 */
export function customerFromLead(
  lead: Lead,
  company: ConvertLeadInput['company'],
  owner: NewCustomerOwner | null,
  withDeal: boolean,
  caller: Caller,
  id: string,
  nowIso: string,
): Customer {
  const asCompany = company !== null && (company !== undefined || lead.company !== null);
  const companyName = company?.name ?? lead.company;
  if (asCompany && !companyName) throw new ValidationFailed([{ path: 'company.name', message: 'The lead names no company: give its name' }]);
  const emailOrLeadDomain = matchCandidates(lead).find((c) => c.field === 'domain')?.value;
  const customer = newCustomer(
    {
      kind: asCompany ? 'company' : 'person',
      name: asCompany ? companyName! : personName(lead),
      emails: lead.email ? [lead.email] : [],
      phones: lead.phone ? [lead.phone] : [],
      ...(asCompany && (company?.domain ?? emailOrLeadDomain) ? { domain: company?.domain ?? emailOrLeadDomain } : {}),
      ...(lead.industry ? { industry: lead.industry } : {}),
      ...(lead.region ? { region: lead.region } : {}),
      ...(lead.source ? { source: lead.source } : {}),
      lifecycleStage: lifecycleFromLead(lead, withDeal),
    },
    caller,
    id,
    nowIso,
  );
  // newCustomer makes a rep creator the owner; here the lead decides (newCustomerOwnerId).
  return {
    ...customer,
    ownerId: owner?.id ?? null,
    teamId: owner?.teamId ?? null,
    assignedAt: owner ? nowIso : null,
    // An owned customer is scheduled by the next reclaim sweep, as one a rep enters.
    reclaimCheckAt: owner ? nowIso : null,
    openDeals: withDeal ? 1 : 0,
    // A person customer is the lead's person: their consent comes along. A company's is the contact's.
    consent: asCompany ? {} : consentFromLead(lead.id, lead.consent),
  };
}

/** The lead as the contact at a company customer; a person customer is the lead itself and gets none. */
export function contactFromLead(lead: Lead, customer: Pick<Customer, 'id' | 'kind'>, caller: Caller, id: string, nowIso: string): Contact | null {
  if (customer.kind !== 'company') return null;
  const contact = newContact(
    {
      name: personName(lead).slice(0, 200),
      // A contact's title holds at most 100 characters, a lead's 200: the rest stays in the timeline entry.
      ...(lead.title ? { title: lead.title.slice(0, 100) } : {}),
      emails: lead.email ? [lead.email] : [],
      phones: lead.phone ? [lead.phone] : [],
    },
    caller,
    customer.id,
    id,
    nowIso,
  );
  return { ...contact, consent: consentFromLead(lead.id, lead.consent) };
}

/**
 * The signals as counts per type and the first and last time: bounded whatever the number of
 * signals, so the timeline entry (and the transaction) cannot grow with a lead's engagement.
 */
export function signalSummary(signals: readonly Signal[]) {
  const byType: Record<string, number> = {};
  let firstAt: string | null = null;
  let lastAt: string | null = null;
  for (const s of signals) {
    byType[s.type] = (byType[s.type] ?? 0) + 1;
    if (firstAt === null || s.occurredAt < firstAt) firstAt = s.occurredAt;
    if (lastAt === null || s.occurredAt > lastAt) lastAt = s.occurredAt;
  }
  return { count: signals.length, byType, firstAt, lastAt };
}

/**
 * The lead's history as one `lead` entry on the customer's timeline, at the moment of conversion:
 * where it came from (channel, form, source, UTM, page), what was submitted (the message as the
 * body), when it was captured, its score now, how it was qualified, and its engagement in summary.
 * Every field is bounded by the lead's schema, so the entry is a few KB at most.
 */
export function conversionActivity(lead: Lead, signals: readonly Signal[], score: number, customerId: string, caller: Caller, id: string, nowIso: string): Activity {
  return {
    id,
    customerId,
    type: 'lead',
    occurredAt: nowIso,
    subject: 'Converted from lead',
    body: lead.message,
    payload: {
      leadId: lead.id,
      capturedAt: lead.createdAt,
      channel: lead.channel,
      formId: lead.formId,
      source: lead.source,
      utm: lead.utm,
      pageUrl: lead.pageUrl,
      name: lead.name,
      email: lead.email,
      phone: lead.phone,
      company: lead.company,
      domain: lead.domain,
      title: lead.title,
      industry: lead.industry,
      companySize: lead.companySize,
      region: lead.region,
      product: lead.product,
      score,
      status: lead.status,
      qualifiedLevel: lead.qualifiedLevel,
      qualification: lead.qualification,
      disqualification: lead.disqualification,
      leadOwnerId: lead.ownerId,
      leadTeamId: lead.teamId,
      signals: signalSummary(signals),
      // Kept here too: attaching to a person customer leaves its own consent as it is (docs/leads.md#consent-at-the-source).
      consent: lead.consent ?? {},
    },
    actor: { type: 'user', id: caller.userId },
    loggedAt: nowIso,
  };
}

/**
 * The lead after conversion: status `converted`, a pointer to the customer, and none of the
 * person's details (name, email, phone, title, message, page). They now live on the customer and
 * its timeline entry, where an erasure of the customer finds them; a converted lead left holding
 * them would escape it. Attribution (source, UTM, company, industry...) and the decisions stay.
 */
export function convertedLead(lead: Lead, record: LeadConversionRecord): Lead {
  return {
    ...lead,
    name: null,
    email: null,
    phone: null,
    title: null,
    message: null,
    pageUrl: null,
    // The consent went with the person (customer or contact), evidence and all.
    consent: {},
    // Unconfirmed grants are not consent: they go nowhere, and a link followed later confirms nothing.
    pendingConsent: {},
    status: 'converted',
    convertedCustomerId: record.customerId,
    conversion: record,
    updatedAt: record.at,
    version: lead.version + 1,
  };
}

/** A deal field's error, named as the conversion body has it (`deal.stageId`). */
export function underDeal(error: unknown): unknown {
  if (!(error instanceof ValidationFailed)) return error;
  return new ValidationFailed(error.errors.map((e) => ({ ...e, path: e.path ? `deal.${e.path}` : 'deal' })));
}
