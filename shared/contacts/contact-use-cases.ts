import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { canWrite } from '../customers/customer';
import type { CustomerRepository } from '../customers/customer-repository';
import { getCustomer } from '../customers/customer-use-cases';
import { ContactNotFound, Forbidden, NotACompany, StaleVersion } from '../errors';
import { newId } from '../ids';
import { type AddContactInput, applyContactPatch, type Contact, type ContactPatch, newContact } from './contact';
import type { ContactRepository } from './contact-repository';

interface Repositories {
  customers: CustomerRepository;
  contacts: ContactRepository;
}

/** Contacts are edited by whoever may edit their company: its owner, a manager, an admin. */
async function writableCompany(repos: Repositories, caller: Caller, customerId: string) {
  const customer = await getCustomer(repos.customers, caller, customerId);
  if (!canWrite(caller, customer)) throw new Forbidden('Only the owner, a manager or an admin may change this customer');
  if (customer.kind !== 'company') throw new NotACompany(customerId);
  return customer;
}

export async function addContact(repos: Repositories, caller: Caller, customerId: string, input: AddContactInput): Promise<Contact> {
  await writableCompany(repos, caller, customerId);
  const contact = newContact(input, caller, customerId, newId(), clock.nowIso());
  await repos.contacts.add(caller.tenantId, contact);
  return contact;
}

export async function updateContact(
  repos: Repositories,
  caller: Caller,
  customerId: string,
  contactId: string,
  patch: ContactPatch,
  expectedVersion: number,
): Promise<Contact> {
  await writableCompany(repos, caller, customerId);
  const contact = await repos.contacts.get(caller.tenantId, customerId, contactId);
  if (!contact) throw new ContactNotFound(contactId);
  if (contact.version !== expectedVersion) throw new StaleVersion('contact', contact.version);
  const { after, changed } = applyContactPatch(contact, patch, caller, clock.nowIso());
  if (changed) await repos.contacts.replace(caller.tenantId, after, expectedVersion);
  return after;
}

export async function removeContact(repos: Repositories, caller: Caller, customerId: string, contactId: string): Promise<void> {
  await writableCompany(repos, caller, customerId);
  await repos.contacts.remove(caller.tenantId, customerId, contactId);
}
