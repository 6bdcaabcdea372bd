import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { consentInput, consentRecords, type ConsentRecord, email, phone, text } from '../customers/fields';

const MAX_CONTACT_POINTS = 10;
const emails = z.array(email).check(z.maxLength(MAX_CONTACT_POINTS));
const phones = z.array(phone).check(z.maxLength(MAX_CONTACT_POINTS));

export const addContactInput = z.strictObject({
  name: text(200),
  title: z.optional(text(100)),
  emails: z.optional(emails),
  phones: z.optional(phones),
  consent: z.optional(consentInput),
});
export type AddContactInput = z.output<typeof addContactInput>;

/** JSON Merge Patch of a contact, like the customer's: `null` clears, consent merges per topic. */
export const contactPatch = z.strictObject({
  name: z.optional(text(200)),
  title: z.optional(z.nullable(text(100))),
  emails: z.optional(z.nullable(emails)),
  phones: z.optional(z.nullable(phones)),
  consent: z.optional(consentInput),
});
export type ContactPatch = z.output<typeof contactPatch>;

export interface Contact {
  id: string;
  customerId: string;
  name: string;
  title: string | null;
  emails: string[];
  phones: string[];
  consent: Record<string, ConsentRecord>;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

const unique = <T>(values: T[]) => [...new Set(values)];

export function newContact(input: AddContactInput, caller: Caller, customerId: string, id: string, nowIso: string): Contact {
  return {
    id,
    customerId,
    name: input.name,
    title: input.title ?? null,
    emails: unique(input.emails ?? []),
    phones: unique(input.phones ?? []),
    consent: consentRecords(input.consent, nowIso),
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
  };
}

export function applyContactPatch(contact: Contact, patch: ContactPatch, caller: Caller, nowIso: string): { after: Contact; changed: boolean } {
  const next: Contact = {
    ...contact,
    name: patch.name ?? contact.name,
    title: patch.title === undefined ? contact.title : patch.title,
    emails: patch.emails === undefined ? contact.emails : unique(patch.emails ?? []),
    phones: patch.phones === undefined ? contact.phones : unique(patch.phones ?? []),
    consent: consentRecords(patch.consent, nowIso, contact.consent),
  };
  if (JSON.stringify(next) === JSON.stringify(contact)) return { after: contact, changed: false };
  return { after: { ...next, updatedAt: nowIso, updatedBy: caller.userId, version: contact.version + 1 }, changed: true };
}

export function contactView(contact: Contact) {
  return {
    id: contact.id,
    customerId: contact.customerId,
    name: contact.name,
    title: contact.title,
    emails: contact.emails,
    phones: contact.phones,
    consent: Object.fromEntries(Object.entries(contact.consent).map(([topic, r]) => [topic, r.granted])),
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
    version: contact.version,
  };
}
