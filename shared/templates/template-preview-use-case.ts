import type { Caller } from '../access/caller';
import type { Contact } from '../contacts/contact';
import type { CustomerRepository } from '../customers/customer-repository';
import { getCustomer } from '../customers/customer-use-cases';
import { ContactNotFound } from '../errors';
import type { PoolReader } from '../pools/pool-repository';
import type { PreviewTemplateInput } from './email-template';
import { renderTemplate, templateData, withUnsubscribeLink } from './template-placeholders';
import type { TemplateRepository } from './template-repository';
import { getTemplate } from './template-use-cases';

/** Apart from the template writers, which need none of the customer reading it loads. */
export interface TemplatePreviewDeps {
  templates: Pick<TemplateRepository, 'get'>;
  customers: CustomerRepository;
  contacts: { get(tenantId: string, customerId: string, contactId: string): Promise<Contact | undefined> };
  pools: PoolReader;
}

/** What `{{unsubscribeUrl}}` shows in a preview: the shape of the link, not a working token. */
export const PREVIEW_UNSUBSCRIBE_URL = 'https://unsubscribe.example/preview';

/**
 * POST /templates/{id}/preview: the template rendered for one customer (and one of its contacts)
 * with the data and substitution a send uses. Whoever may read the customer may preview it for
 * them; others get the customer's 404.
 */
export async function previewTemplate(deps: TemplatePreviewDeps, caller: Caller, templateId: string, input: PreviewTemplateInput) {
  const template = await getTemplate(deps.templates, caller, templateId);
  const customer = await getCustomer(deps.customers, caller, input.customerId, deps.pools);
  let contact: Contact | null = null;
  if (input.contactId !== undefined) {
    contact = (await deps.contacts.get(caller.tenantId, customer.id, input.contactId)) ?? null;
    if (!contact) throw new ContactNotFound(input.contactId);
  }
  // A real send signs a link per recipient; the preview shows where it goes without a usable token.
  const data = templateData(template.placeholders, customer, contact, PREVIEW_UNSUBSCRIBE_URL);
  return { templateId: template.id, version: template.version, customerId: customer.id, contactId: contact?.id ?? null, ...renderTemplate(withUnsubscribeLink(template), data) };
}
