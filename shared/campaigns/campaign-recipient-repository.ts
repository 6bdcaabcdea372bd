import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../aws/batch-items';
import { hasConsent } from '../consent/consent-check';
import type { Customer } from '../customers/customer';
import { toCustomer } from '../customers/profile-record';
import { keys, withoutStorageAttributes } from '../keys';
import type { Lead } from '../leads/lead';
import type { SegmentAudience } from '../segments/segment-definition';
import type { RecipientFacts } from './campaign-audience';
import { type FrequencyCap, frequencyDecision, type SendRecord } from '../consent/frequency-cap';
import type { SuppressionRepository } from '../consent/suppression-repository';

export interface RecipientCheck {
  /** The recipient's profile: a customer's, or a lead's for a leads campaign. */
  customer: Customer | undefined;
  lead?: Lead | undefined;
  facts: RecipientFacts;
}

/** `check the cap read-only now`, at this time (freeze); absent: left to the sender's reservation. */
type CapCheck = { limit: FrequencyCap; nowIso: string };

/** A lead can be mailed while it is a lead: not erased (a tombstone), not converted (its customer is mailed as one). */
const leadIsLive = (lead: Lead | undefined): lead is Lead => Boolean(lead && !(lead as { erasedAt?: string }).erasedAt && lead.status !== 'converted');

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
  async liveAmong(tenantId: string, customerIds: readonly string[], members: SegmentAudience = 'customers'): Promise<Set<string>> {
    if (members === 'leads') {
      const leads = await batchGetAll(this.db, this.tableName, customerIds.map((id) => keys.lead(tenantId, id)), { consistent: true, projection: 'id, erasedAt, #status', names: { '#status': 'status' } });
      return new Set(leads.filter((item) => leadIsLive(item as unknown as Lead)).map((item) => String(item.id)));
    }
    const items = await batchGetAll(this.db, this.tableName, customerIds.map((id) => keys.customer(tenantId, id)), {
      consistent: true,
      projection: 'id, erasedAt, mergedInto',
    });
    return new Set(items.filter((item) => !item.erasedAt && !item.mergedInto).map((item) => String(item.id)));
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
      return { customer: undefined, lead, live: leadIsLive(lead), address: lead?.email ?? null, consented: lead?.consent?.[topic]?.granted === true };
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
      return { customer, live: Boolean(customer && !customer.mergedInto && !customer.erasedAt), address: customer?.emails[0] ?? null, consented: customer ? hasConsent(customer, topic) : false };
    });
  }

  /** The rules' facts from what each recipient's profile says, with the suppression list and (read-only) the cap, in bounded requests. */
  private async factsOf(
    tenantId: string,
    ids: readonly string[],
    members: SegmentAudience,
    cap: CapCheck | undefined,
    profileOf: (id: string) => Pick<RecipientCheck, 'customer' | 'lead'> & Pick<RecipientFacts, 'live' | 'address' | 'consented'>,
  ): Promise<Map<string, RecipientCheck>> {
    const profiles = new Map(ids.map((id) => [id, profileOf(id)]));
    const addresses = [...profiles.values()].map((p) => p.address).filter((a): a is string => Boolean(a));
    const suppressed = addresses.length ? await this.suppressions.suppressedAmong(tenantId, addresses) : new Set<string>();
    const sends = cap ? await this.recentSends(tenantId, ids, members) : new Map<string, SendRecord[]>();
    const checks = new Map<string, RecipientCheck>();
    for (const [id, { customer, lead, live, address, consented }] of profiles) {
      const capped = cap ? !frequencyDecision((sends.get(id) ?? []).map((s) => s.at), cap.nowIso, cap.limit).allowed : false;
      checks.set(id, { customer, ...(lead ? { lead } : {}), facts: { live, address, consented, suppressed: address ? suppressed.has(address) : false, capped } });
    }
    return checks;
  }

  private async recentSends(tenantId: string, customerIds: readonly string[], members: SegmentAudience = 'customers'): Promise<Map<string, SendRecord[]>> {
    const keyOf = members === 'leads' ? keys.leadMarketingFrequency : keys.marketingFrequency;
    const items = await batchGetAll(this.db, this.tableName, customerIds.map((id) => keyOf(tenantId, id)), { projection: 'PK, sends' });
    const prefix = (members === 'leads' ? keys.leadPartition(tenantId, '') : keys.customerPartition(tenantId, '')).length;
    return new Map(items.map((item) => [String(item.PK).slice(prefix), (item.sends as SendRecord[] | undefined) ?? []]));
  }
}
