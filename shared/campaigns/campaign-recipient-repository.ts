import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../aws/batch-items';
import { contactMailFacts, customerMailFacts, leadIsMailable, leadMailFacts, profileIsLive } from '../consent/marketing-recipient';
import type { Contact } from '../contacts/contact';
import type { Customer } from '../customers/customer';
import { toCustomer } from '../customers/profile-record';
import { keys, withoutStorageAttributes } from '../keys';
import type { Lead } from '../leads/lead';
import type { SegmentAudience } from '../segments/segment-definition';
import type { RecipientFacts } from './campaign-audience';
import { type FrequencyCap, frequencyDecision, type SendRecord } from '../consent/frequency-cap';
import type { SuppressionRepository } from '../consent/suppression-repository';

export interface RecipientCheck {
  /** The recipient's profile: a customer's (a contact's company, for a contacts campaign), or a lead's for a leads campaign. */
  customer: Customer | undefined;
  lead?: Lead | undefined;
  /** The contact mailed by a contacts campaign. */
  contact?: Contact | undefined;
  facts: RecipientFacts;
}

/** A contacts campaign's recipient: the contact's id (the recipient id) and its company's. */
export interface ContactRef {
  id: string;
  companyId: string;
}

/** `check the cap read-only now`, at this time (freeze); absent: left to the sender's reservation. */
type CapCheck = { limit: FrequencyCap; nowIso: string };


/**
 * What the audience rules need to know about a set of customers, in bounded requests: the
 * profiles (100 per BatchGetItem), the suppression list (100 per call) and, when the cap is
 * checked read-only (freezing), each customer's recent sends (100 per call).
 */
export class CampaignRecipientFacts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly suppressions: Pick<SuppressionRepository, 'suppressedAmong'>,
  ) {}

  async profiles(tenantId: string, customerIds: readonly string[]): Promise<Map<string, Customer>> {
    const items = await batchGetAll(this.db, this.tableName, customerIds.map((id) => keys.customer(tenantId, id)));
    return new Map(items.map((item) => toCustomer(item)).map((c) => [c.id, c]));
  }

  /**
   * Which of these customers are still there to be mailed: not erased, not merged away. A
   * consistent read of three attributes, just before a batch goes to SES, so that an erasure
   * committed while the batch waited for its second mails nobody.
   */
  async liveAmong(tenantId: string, customerIds: readonly string[], members: SegmentAudience = 'customers', companyOf: ReadonlyMap<string, string> = new Map()): Promise<Set<string>> {
    if (members === 'contacts') return this.liveContacts(tenantId, customerIds.map((id) => ({ id, companyId: companyOf.get(id) ?? '' })));
    if (members === 'leads') {
      const leads = await batchGetAll(this.db, this.tableName, customerIds.map((id) => keys.lead(tenantId, id)), { consistent: true, projection: 'id, erasedAt, #status', names: { '#status': 'status' } });
      return new Set(leads.filter((item) => leadIsMailable(item as unknown as Lead)).map((item) => String(item.id)));
    }
    const items = await batchGetAll(this.db, this.tableName, customerIds.map((id) => keys.customer(tenantId, id)), {
      consistent: true,
      projection: 'id, erasedAt, mergedInto',
    });
    return new Set(items.filter((item) => profileIsLive(item)).map((item) => String(item.id)));
  }

  /**
   * A contact can be mailed while it is there and its company is live: erasure deletes the
   * company's contacts and a merge moves them, so a missing contact item or a company that is
   * erased or merged away both mean nobody to mail here.
   */
  private async liveContacts(tenantId: string, refs: readonly ContactRef[]): Promise<Set<string>> {
    const known = refs.filter((r) => r.companyId);
    const companyIds = [...new Set(known.map((r) => r.companyId))];
    const [contacts, companies] = await Promise.all([
      batchGetAll(this.db, this.tableName, known.map((r) => keys.contact(tenantId, r.companyId, r.id)), { consistent: true, projection: 'id' }),
      batchGetAll(this.db, this.tableName, companyIds.map((id) => keys.customer(tenantId, id)), { consistent: true, projection: 'id, erasedAt, mergedInto' }),
    ]);
    const liveCompanies = new Set(companies.filter((item) => profileIsLive(item)).map((item) => String(item.id)));
    const present = new Set(contacts.map((item) => String(item.id)));
    return new Set(known.filter((r) => present.has(r.id) && liveCompanies.has(r.companyId)).map((r) => r.id));
  }

  /**
   * The facts of each contact of a contacts campaign: the contact's first address, its own consent,
   * the suppression list and its own frequency cap; live while it and its company are. `contacts`
   * may already be loaded with their companies (freeze: the segment read them).
   */
  async checkContacts(
    tenantId: string,
    refs: readonly ContactRef[],
    topic: string,
    options: { contacts?: Map<string, { contact: Contact; company: Customer }>; cap?: CapCheck },
  ): Promise<Map<string, RecipientCheck>> {
    const loaded = options.contacts ?? (await this.contactProfiles(tenantId, refs));
    const companyOf = new Map(refs.map((r) => [r.id, r.companyId]));
    return this.factsOf(
      tenantId,
      refs.map((r) => r.id),
      'contacts',
      options.cap,
      (id) => {
        const { contact, company } = loaded.get(id) ?? {};
        return { customer: company, contact, ...contactMailFacts(company, contact, topic) };
      },
      companyOf,
    );
  }

  private async contactProfiles(tenantId: string, refs: readonly ContactRef[]): Promise<Map<string, { contact: Contact | undefined; company: Customer | undefined }>> {
    const [contactItems, companies] = await Promise.all([
      batchGetAll(this.db, this.tableName, refs.map((r) => keys.contact(tenantId, r.companyId, r.id))),
      this.profiles(tenantId, [...new Set(refs.map((r) => r.companyId))]),
    ]);
    const contacts = new Map(contactItems.map((item) => withoutStorageAttributes(item) as unknown as Contact).map((c) => [c.id, c]));
    return new Map(refs.map((r) => [r.id, { contact: contacts.get(r.id), company: companies.get(r.companyId) }]));
  }

  async leadProfiles(tenantId: string, leadIds: readonly string[]): Promise<Map<string, Lead>> {
    const items = await batchGetAll(this.db, this.tableName, leadIds.map((id) => keys.lead(tenantId, id)));
    return new Map(items.map((item) => withoutStorageAttributes(item) as unknown as Lead).map((l) => [l.id, l]));
  }

  /**
   * The facts of each lead of a leads campaign, as `check` gives them for customers: the lead's
   * own address, the consent it gave at the source, the suppression list, its own frequency cap.
   */
  async checkLeads(
    tenantId: string,
    leadIds: readonly string[],
    topic: string,
    options: { leads?: Map<string, Lead>; cap?: CapCheck },
  ): Promise<Map<string, RecipientCheck>> {
    const leads = options.leads ?? (await this.leadProfiles(tenantId, leadIds));
    return this.factsOf(tenantId, leadIds, 'leads', options.cap, (id) => {
      const lead = leads.get(id);
      return { customer: undefined, lead, ...leadMailFacts(lead, topic) };
    });
  }

  /**
   * The facts of each customer (in the order given). `customers` may already be loaded (freeze:
   * the segment read them); `cap` given means "check the cap read-only now" (freeze), otherwise
   * the cap is left to the sender's reservation.
   */
  async check(
    tenantId: string,
    customerIds: readonly string[],
    topic: string,
    options: { customers?: Map<string, Customer>; cap?: CapCheck },
  ): Promise<Map<string, RecipientCheck>> {
    const customers = options.customers ?? (await this.profiles(tenantId, customerIds));
    return this.factsOf(tenantId, customerIds, 'customers', options.cap, (id) => {
      const customer = customers.get(id);
      return { customer, ...customerMailFacts(customer, topic) };
    });
  }

  /** The rules' facts from what each recipient's profile says, with the suppression list and (read-only) the cap, in bounded requests. */
  private async factsOf(
    tenantId: string,
    ids: readonly string[],
    members: SegmentAudience,
    cap: CapCheck | undefined,
    profileOf: (id: string) => Pick<RecipientCheck, 'customer' | 'lead' | 'contact'> & Pick<RecipientFacts, 'live' | 'address' | 'consented'>,
    companyOf: ReadonlyMap<string, string> = new Map(),
  ): Promise<Map<string, RecipientCheck>> {
    const profiles = new Map(ids.map((id) => [id, profileOf(id)]));
    const addresses = [...profiles.values()].map((p) => p.address).filter((a): a is string => Boolean(a));
    const suppressed = addresses.length ? await this.suppressions.suppressedAmong(tenantId, addresses) : new Set<string>();
    const sends = cap ? await this.recentSends(tenantId, ids.map((id) => frequencyKeyOf(tenantId, members, id, companyOf))) : [];
    const checks = new Map<string, RecipientCheck>();
    ids.forEach((id, i) => {
      const { customer, lead, contact, live, address, consented } = profiles.get(id)!;
      const capped = cap ? !frequencyDecision(sends[i]!.map((s) => s.at), cap.nowIso, cap.limit).allowed : false;
      checks.set(id, { customer, ...(lead ? { lead } : {}), ...(contact ? { contact } : {}), facts: { live, address, consented, suppressed: address ? suppressed.has(address) : false, capped } });
    });
    return checks;
  }

  /** Each cap item's recent sends, in the order of the keys (none for a recipient never mailed). */
  private async recentSends(tenantId: string, capKeys: readonly { PK: string; SK: string }[]): Promise<SendRecord[][]> {
    const items = await batchGetAll(this.db, this.tableName, capKeys, { projection: 'PK, SK, sends' });
    const found = new Map(items.map((item) => [`${String(item.PK)}|${String(item.SK)}`, (item.sends as SendRecord[] | undefined) ?? []]));
    return capKeys.map((k) => found.get(`${k.PK}|${k.SK}`) ?? []);
  }
}

/** Where a recipient's frequency cap lives: the customer's, the lead's, or the contact's item in its company's partition. */
function frequencyKeyOf(tenantId: string, members: SegmentAudience, id: string, companyOf: ReadonlyMap<string, string>): { PK: string; SK: string } {
  if (members === 'contacts') return keys.contactMarketingFrequency(tenantId, companyOf.get(id) ?? '', id);
  return members === 'leads' ? keys.leadMarketingFrequency(tenantId, id) : keys.marketingFrequency(tenantId, id);
}
