/**
 * Every key of the single table is built here and nowhere else (docs/data-model.md lists the
 * access patterns these serve). Every partition key starts with the tenant, so no request can
 * reach another tenant's items by construction. The exceptions are read only by system flows and
 * say why: the reclaim and marketing-due indexes (GSI2), the SES account's send-rate counter and
 * the unsubscribe signing secret.
 */

export const TABLE_INDEXES = {
  /** GSI1: a customer's book: owner (T#t#OWNER#user) or pool (T#t#POOL#pool). */
  gsi1: { name: 'GSI1', pk: 'GSI1PK', sk: 'GSI1SK' },
  /** GSI2: sparse index of items due for an action at a time: the write-sharded reclaim index, and marketing-due work (`MKTDUE`). */
  gsi2: { name: 'GSI2', pk: 'GSI2PK', sk: 'GSI2SK' },
  /** GSI3: lookups by an alternative attribute (name prefix). */
  gsi3: { name: 'GSI3', pk: 'GSI3PK', sk: 'GSI3SK' },
  /** GSI4: every live customer of a tenant, most recently updated first. */
  gsi4: { name: 'GSI4', pk: 'GSI4PK', sk: 'GSI4SK' },
  /** GSI5: a tenant's customers in one lifecycle stage, most recently updated first; leads by status; a deal owner's deals by status, soonest close first. */
  gsi5: { name: 'GSI5', pk: 'GSI5PK', sk: 'GSI5SK' },
} as const;

/** Every index key attribute: a tombstone (merged, erased) removes them all to leave every list. */
export const INDEX_KEY_ATTRIBUTES = Object.values(TABLE_INDEXES).flatMap((index) => [index.pk, index.sk]);

/** The attribute DynamoDB's TTL deletes on (epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The partition of the unsubscribe signing secret (keys.unsubscribeSigningKey); infra scopes its grant to it. */
export const UNSUBSCRIBE_SIGNING_KEY_PK = 'SYSTEM#UNSUBSCRIBE_KEY';

/** Attributes that exist for storage (keys, index keys, item kind, TTL), never part of a record. */
const STORAGE_ATTRIBUTES = new Set(['PK', 'SK', ...INDEX_KEY_ATTRIBUTES, 'entity', TTL_ATTRIBUTE]);

/** An item as the record it stores: what reads, views and exports work with. */
export function withoutStorageAttributes(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.has(name)));
}

/**
 * Sort-key prefix of outbox items: the stream publisher turns their INSERTs into bus events.
 * Bookkeeping items (outbox, side-effect markers) start with `$`, which sorts before every
 * record of the customer's story (`ACT#`, `CONTACT#`, ..., `PROFILE`), so the 360 view's ranges
 * never read them.
 */
export const OUTBOX_SK_PREFIX = '$EVT#';

/** Where the customer's own records start in its partition (after the `$` bookkeeping items). */
export const FIRST_RECORD_SK = 'A';

export const ACTIVITY_SK_PREFIX = 'ACT#';
export const DEAL_SK_PREFIX = 'DEAL#';
export const DEAL_HISTORY_SK_PREFIX = 'DEALHIST#';
export const TASK_SK_PREFIX = 'TASK#';
/** A service case in its customer's partition (so merge moves it and the 360 view reads it). */
export const CASE_SK_PREFIX = 'CASE#';
/**
 * A message of a case, in the customer's partition but sorted before the records (`$`), so the
 * 360 view never reads threads; a case's thread is read through GSI3 with the case.
 */
export const CASE_MESSAGE_SK_PREFIX = '$CASEMSG#';
/** The reminder sweep's GSI2 partition (keys.taskReminderDue). */
export const TASK_REMINDERS_PK = 'TASKREMIND';
/** The case sweep's GSI2 partition (keys.caseSlaDue): active cases by their next SLA alert, resolved ones by their closing. */
export const CASE_SLA_DUE_PK = 'CASESLA';
/** The overdue-invoice sweep's GSI2 partition (keys.invoiceDue): invoiced orders awaiting payment, by when they turn overdue. */
export const INVOICE_DUE_PK = 'INVOICEDUE';
/** The webhook retry sweep's GSI2 partition (keys.webhookDue): pending deliveries, by when their next attempt is due. */
export const WEBHOOK_DUE_PK = 'WEBHOOKDUE';
/** The escalation sweep's GSI2 partition (keys.approvalDue): pending approvals with a time limit, by when it ends. */
export const APPROVAL_DUE_PK = 'APPROVALDUE';
/** Marketing bookkeeping of a customer (`$MKT#FREQ`, `$MKT#OFFER`): a `$` item, before the records. */
export const MARKETING_SK_PREFIX = '$MKT#';

const tenant = (tenantId: string) => `T#${tenantId}`;

/** One id for a contact's frequency cap (`<customerId>#<contactId>`): ids hold no `#`, so it splits back unambiguously. */
export const contactCapHolder = (customerId: string, contactId: string) => `${customerId}#${contactId}`;

/** Shards of the reclaim index: the sweep Queries each in parallel; no shard gets hot on writes. */
export const RECLAIM_SHARDS = 8;

/** A stable shard per customer (ULIDs end in random characters, so the last one spreads evenly). */
export function reclaimShard(customerId: string): number {
  return customerId.charCodeAt(customerId.length - 1) % RECLAIM_SHARDS;
}

export const keys = {
  customer: (tenantId: string, customerId: string) => ({
    PK: `${tenant(tenantId)}#C#${customerId}`,
    SK: 'PROFILE',
  }),
  customerPartition: (tenantId: string, customerId: string) => `${tenant(tenantId)}#C#${customerId}`,
  /**
   * A guard item that makes an email, phone or company domain unique inside a tenant: written with
   * attribute_not_exists in the same transaction as the customer that claims the value.
   */
  uniqueGuard: (tenantId: string, field: 'email' | 'phone' | 'domain', normalizedValue: string) => ({
    PK: `${tenant(tenantId)}#UQ#${field.toUpperCase()}#${normalizedValue}`,
    SK: 'UQ',
  }),
  /** Outbox item in the partition of the aggregate it describes: written atomically with the change. */
  outbox: (partitionKey: string, eventId: string) => ({
    PK: partitionKey,
    SK: `${OUTBOX_SK_PREFIX}${eventId}`,
  }),
  /** A person at a company customer, in the company's partition (the 360 view reads it). */
  contact: (tenantId: string, customerId: string, contactId: string) => ({
    PK: `${tenant(tenantId)}#C#${customerId}`,
    SK: `CONTACT#${contactId}`,
  }),
  /** Activities sort by when they happened (a call logged today may have happened yesterday). */
  activity: (tenantId: string, customerId: string, occurredAt: string, activityId: string) => ({
    PK: `${tenant(tenantId)}#C#${customerId}`,
    SK: `${ACTIVITY_SK_PREFIX}${occurredAt}#${activityId}`,
  }),
  /** Marks a side effect (an email sent for an event) as done, for idempotent consumers. */
  sideEffect: (partitionKey: string, effect: string) => ({
    PK: partitionKey,
    SK: `$DONE#${effect}`,
  }),
  /**
   * GSI3 name index for prefix lookups ("Acme" finds "Acme Tools Ltd"). Sharded by the name's first
   * character, which every prefix query knows, so one tenant's names spread over many partitions.
   */
  customerName: (tenantId: string, normalizedName: string, customerId: string) => ({
    GSI3PK: `${tenant(tenantId)}#NAME#${normalizedName.slice(0, 1)}`,
    GSI3SK: `${normalizedName}#${customerId}`,
  }),
  /**
   * List indexes sort by `<updatedAt>#<customerId>`, so a page is the most recently touched
   * customers and an updated-range filter is a key condition, not a filter.
   */
  ownerBook: (tenantId: string, userId: string) => ({
    GSI1PK: `${tenant(tenantId)}#OWNER#${userId}`,
  }),
  /** An unowned customer sits in one pool's book (GSI1, same Query shape as an owner's). */
  poolBook: (tenantId: string, poolId: string) => ({
    GSI1PK: `${tenant(tenantId)}#POOL#${poolId}`,
  }),
  tenantCustomers: (tenantId: string) => ({
    GSI4PK: `${tenant(tenantId)}#CUSTOMERS`,
  }),
  customersInStage: (tenantId: string, stage: string) => ({
    GSI5PK: `${tenant(tenantId)}#STAGE#${stage}`,
  }),
  /** The sort key of every customer list index. */
  recentlyUpdated: (updatedAt: string, customerId: string) => `${updatedAt}#${customerId}`,
  /** A tenant's pools in one partition: listing them is one Query. */
  pool: (tenantId: string, poolId: string) => ({
    PK: `${tenant(tenantId)}#POOLS`,
    SK: `POOL#${poolId}`,
  }),
  pools: (tenantId: string) => ({ PK: `${tenant(tenantId)}#POOLS`, skPrefix: 'POOL#' }),
  /** Names the tenant's one default pool; moved in the same transaction that changes the default. */
  defaultPool: (tenantId: string) => ({
    PK: `${tenant(tenantId)}#POOLS`,
    SK: 'DEFAULT',
  }),
  /** One change of owner, in the customer's partition (the 360 view shows the history). */
  ownershipChange: (tenantId: string, customerId: string, at: string, changeId: string) => ({
    PK: `${tenant(tenantId)}#C#${customerId}`,
    SK: `OWNER#${at}#${changeId}`,
  }),
  /** A user's directory entry and counters, in one partition per user. */
  user: (tenantId: string, userId: string) => ({
    PK: `${tenant(tenantId)}#USER#${userId}`,
    SK: 'PROFILE',
  }),
  /**
   * GSI3 entry of a user's directory item: every user of a tenant in one index partition, by id,
   * so `GET /users` is one Query although each user has a partition of their own.
   */
  userDirectory: (tenantId: string, userId: string) => ({
    GSI3PK: `${tenant(tenantId)}#USERS`,
    GSI3SK: userId,
  }),
  /** Customers a rep owns and has locked: the caps are conditions on this item. */
  /** The hand-over of a user's book (one at a time per user), beside their directory entry; its outbox events go there too. */
  bookTransfer: (tenantId: string, userId: string) => ({
    PK: `${tenant(tenantId)}#USER#${userId}`,
    SK: 'BOOKTRANSFER',
  }),
  userBookCounters: (tenantId: string, userId: string) => ({
    PK: `${tenant(tenantId)}#USER#${userId}`,
    SK: 'BOOK',
  }),
  /** Claims of a rep on one UTC day: the daily cap is a condition on this item. */
  userDailyClaims: (tenantId: string, userId: string, day: string) => ({
    PK: `${tenant(tenantId)}#USER#${userId}`,
    SK: `CLAIMS#${day}`,
  }),
  /**
   * GSI2, the reclaim index: sparse (only owned, non-exempt customers) and write-sharded, because
   * the sweep reads it for every tenant at once. The one key that does not start with the tenant:
   * only the system sweep reads it, and every entry names its tenant in the sort key.
   */
  reclaimCheck: (tenantId: string, customerId: string, checkAt: string) => ({
    GSI2PK: `RECLAIM#${reclaimShard(customerId)}`,
    GSI2SK: `${checkAt}#${tenantId}#${customerId}`,
  }),
  reclaimShard: (shard: number) => `RECLAIM#${shard}`,
  dailyStats: (tenantId: string, day: string, metric: string) => ({
    PK: `${tenant(tenantId)}#STATS#${day}`,
    SK: `M#${metric}`,
  }),
  statsDedupe: (tenantId: string, day: string, eventId: string) => ({
    PK: `${tenant(tenantId)}#STATS#${day}`,
    SK: `SEEN#${eventId}`,
  }),
  /**
   * A tenant's schema partition: custom field definitions (`FIELD#<entity>#<key>`, one Query lists
   * an entity's fields in key order) and the counter that caps how many there are.
   */
  customFieldDefinition: (tenantId: string, entity: string, key: string) => ({
    PK: `${tenant(tenantId)}#SCHEMA`,
    SK: `FIELD#${entity}#${key}`,
  }),
  customFieldDefinitions: (tenantId: string, entity: string) => ({
    PK: `${tenant(tenantId)}#SCHEMA`,
    skPrefix: `FIELD#${entity}#`,
  }),
  customFieldCounter: (tenantId: string, entity: string) => ({
    PK: `${tenant(tenantId)}#SCHEMA`,
    SK: `$COUNT#FIELD#${entity}`,
  }),
  /** A tenant's pipelines in one partition: listing them is one Query (docs/pipeline.md). */
  pipeline: (tenantId: string, pipelineId: string) => ({
    PK: `${tenant(tenantId)}#PIPELINES`,
    SK: `PIPE#${pipelineId}`,
  }),
  pipelines: (tenantId: string) => ({ PK: `${tenant(tenantId)}#PIPELINES`, skPrefix: 'PIPE#' }),
  /** A deal lives in its customer's partition, so the 360 view, export, erasure and merge see it. */
  deal: (tenantId: string, customerId: string, dealId: string) => ({
    PK: `${tenant(tenantId)}#C#${customerId}`,
    SK: `${DEAL_SK_PREFIX}${dealId}`,
  }),
  /** One stage move or close of a deal; `DEALHIST#` sorts after `DEAL#`, outside the 360's `DEAL#` section. */
  dealHistory: (tenantId: string, customerId: string, dealId: string, at: string, entryId: string) => ({
    PK: `${tenant(tenantId)}#C#${customerId}`,
    SK: `${DEAL_HISTORY_SK_PREFIX}${dealId}#${at}#${entryId}`,
  }),
  dealHistoryPrefix: (dealId: string) => `${DEAL_HISTORY_SK_PREFIX}${dealId}#`,
  /** GSI3: a deal by id alone (`PATCH /deals/{id}` does not name the customer; a merge moves the entry with the deal). */
  dealById: (tenantId: string, dealId: string) => ({
    GSI3PK: `${tenant(tenantId)}#DEAL#${dealId}`,
    GSI3SK: 'DEAL',
  }),
  /**
   * A follow-up task lives in the partition of what it follows up: the customer's (for a deal,
   * the deal's customer's) or the lead's. So a transfer, the 360 view, merge, export and erasure
   * read it with its record, strongly consistent (docs/tasks.md).
   */
  task: (parentPartition: string, taskId: string) => ({ PK: parentPartition, SK: `${TASK_SK_PREFIX}${taskId}` }),
  /** GSI3: a task by id alone (`/tasks/{id}` does not name its record). */
  taskById: (tenantId: string, taskId: string) => ({ GSI3PK: `${tenant(tenantId)}#TASK#${taskId}`, GSI3SK: 'TASK' }),
  /** GSI1: an assignee's open tasks by due time, or done ones by completion time (`<instant>#<taskId>`). */
  assigneeTasks: (tenantId: string, assigneeId: string, status: 'open' | 'done') => `${tenant(tenantId)}#TASKS#${assigneeId}#${status.toUpperCase()}`,
  /**
   * GSI2: a task whose reminder is still to go out, at its time. One partition for all tenants
   * (read only by the reminder sweep, like MKTDUE): reminders are written at human pace.
   */
  taskReminderDue: (remindAt: string, tenantId: string, taskId: string) => ({ GSI2PK: TASK_REMINDERS_PK, GSI2SK: `${remindAt}#${tenantId}#${taskId}` }),
  /** A service case, in its customer's partition (docs/service.md, "Cases"). */
  case: (tenantId: string, customerId: string, caseId: string) => ({ PK: keys.customerPartition(tenantId, customerId), SK: `${CASE_SK_PREFIX}${caseId}` }),
  /**
   * GSI3: a case and its thread under one index partition, the case first (`CASE`) and then its
   * messages in order (`MSG#<id>`): `GET /cases/{id}` is one Query, wherever a merge moved them.
   */
  caseThread: (tenantId: string, caseId: string) => `${tenant(tenantId)}#CASE#${caseId}`,
  caseById: (tenantId: string, caseId: string) => ({ GSI3PK: keys.caseThread(tenantId, caseId), GSI3SK: 'CASE' }),
  caseMessage: (tenantId: string, customerId: string, caseId: string, messageId: string) => ({
    PK: keys.customerPartition(tenantId, customerId),
    SK: `${CASE_MESSAGE_SK_PREFIX}${caseId}#${messageId}`,
    GSI3PK: keys.caseThread(tenantId, caseId),
    GSI3SK: `MSG#${messageId}`,
  }),
  /**
   * A received mail, by `inboundMessageKey` (a hash of its sender and Message-ID): written with the
   * message it became, so the same mail delivered twice is one message. Its own partition per mail.
   */
  inboundMailReceived: (tenantId: string, mailKey: string) => ({ PK: `${tenant(tenantId)}#INMAIL#${mailKey}`, SK: 'RECEIVED' }),
  /** GSI1: an agent's cases (or the queue's, unassigned) that are active or done, by status then age (`<status>#<createdAt>#<id>`). */
  caseList: (tenantId: string, assigneeId: string | null, group: 'active' | 'done') => `${tenant(tenantId)}#CASES#${assigneeId ?? '$QUEUE'}#${group.toUpperCase()}`,
  // SLA policies applied to cases (docs/service.md, "SLA policies")
  /** A tenant's SLA policies, one partition: a case write reads them all in one Query (few, small). */
  slaPolicies: (tenantId: string) => `${tenant(tenantId)}#SLAPOLICIES`,
  slaPolicy: (tenantId: string, policyId: string) => ({ PK: keys.slaPolicies(tenantId), SK: `SLAPOLICY#${policyId}` }),
  /**
   * GSI2: a case with an SLA warning or breach still to raise, at its instant. One partition for
   * all tenants (read only by the SLA sweep, like TASKREMIND): cases are written at human pace.
   */
  caseSlaDue: (alertAt: string, tenantId: string, caseId: string) => ({ GSI2PK: CASE_SLA_DUE_PK, GSI2SK: `${alertAt}#${tenantId}#${caseId}` }),
  /** GSI1: the deals of one board column (an open stage, or won or lost), soonest close first. */
  boardColumn: (tenantId: string, pipelineId: string, column: string) => ({
    GSI1PK: `${tenant(tenantId)}#PIPE#${pipelineId}#${column}`,
  }),
  /** GSI4: open and won deals by close date, one partition per tenant: a forecast period is one key range. */
  dealsByCloseDate: (tenantId: string) => ({
    GSI4PK: `${tenant(tenantId)}#DEALS#CLOSE`,
  }),
  /**
   * GSI5: one owner's deals in one status (`open`, `won`, `lost`), soonest expected close first
   * (`GET /deals`, a rep's board). User ids hold no `#` (`[A-Za-z0-9_@.:-]`), so no owner's partition is a
   * prefix of another's. An owner or status change moves the entry with the deal's Put.
   */
  dealsOfOwner: (tenantId: string, ownerId: string, status: string) => ({
    GSI5PK: `${tenant(tenantId)}#DEALOWNER#${ownerId}#${status}`,
  }),
  /** The sort key of the deal indexes (board column, owner, forecast): `<yyyy-mm-dd>#<dealId>`. */
  dealCloseSortKey: (date: string, dealId: string) => `${date}#${dealId}`,
  /** Count and sums per currency of one board column, updated in every deal transaction. */
  boardAggregate: (tenantId: string, pipelineId: string, column: string) => ({
    PK: `${tenant(tenantId)}#PIPE#${pipelineId}#AGG`,
    SK: column,
  }),
  boardAggregates: (tenantId: string, pipelineId: string) => ({ PK: `${tenant(tenantId)}#PIPE#${pipelineId}#AGG` }),
  /**
   * A lead (docs/leads.md): its profile and its engagement signals in one partition, so reading a
   * lead with everything its score needs is one Query, and conversion can later move it in one
   * transaction.
   */
  lead: (tenantId: string, leadId: string) => ({ PK: `${tenant(tenantId)}#L#${leadId}`, SK: 'PROFILE' }),
  leadPartition: (tenantId: string, leadId: string) => `${tenant(tenantId)}#L#${leadId}`,
  leadSignal: (tenantId: string, leadId: string, occurredAt: string, signalId: string) => ({
    PK: `${tenant(tenantId)}#L#${leadId}`,
    SK: `${LEAD_SIGNAL_SK_PREFIX}${occurredAt}#${signalId}`,
  }),
  /** One open lead per email/phone in a tenant: a second capture adds a signal to the first. */
  leadGuard: (tenantId: string, field: 'email' | 'phone', normalizedValue: string) => ({
    PK: `${tenant(tenantId)}#LUQ#${field.toUpperCase()}#${normalizedValue}`,
    SK: 'UQ',
  }),
  /** GSI5 list of a tenant's leads in one status (the nurture list is `nurture`), newest first. */
  leadsInStatus: (tenantId: string, status: string) => ({ GSI5PK: `${tenant(tenantId)}#LEADSTATUS#${status}` }),
  /** The tenant's lead settings: scoring rules and routing rules, and one round-robin cursor per team. */
  leadScoringConfig: (tenantId: string) => ({ PK: `${tenant(tenantId)}#LEADCONFIG`, SK: 'SCORING' }),
  leadRoutingConfig: (tenantId: string) => ({ PK: `${tenant(tenantId)}#LEADCONFIG`, SK: 'ROUTING' }),
  routingCursor: (tenantId: string, teamId: string) => ({ PK: `${tenant(tenantId)}#LEADCONFIG`, SK: `CURSOR#${teamId}` }),
  /** Marketing email templates (docs/marketing.md): a tenant's templates in one partition, listed by one Query. */
  emailTemplate: (tenantId: string, templateId: string) => ({ PK: `${tenant(tenantId)}#TEMPLATES`, SK: `TPL#${templateId}` }),
  emailTemplates: (tenantId: string) => ({ PK: `${tenant(tenantId)}#TEMPLATES`, skPrefix: 'TPL#' }),
  /** Saved segments (docs/marketing.md): a tenant's segments in one partition, listed by one Query. */
  segment: (tenantId: string, segmentId: string) => ({ PK: `${tenant(tenantId)}#SEGMENTS`, SK: `SEG#${segmentId}` }),
  segments: (tenantId: string) => ({ PK: `${tenant(tenantId)}#SEGMENTS`, skPrefix: 'SEG#' }),
  /** The tenant's marketing settings (frequency cap, offer lock length): one item, versioned. */
  marketingSettings: (tenantId: string) => ({ PK: `${tenant(tenantId)}#MKTCONFIG`, SK: 'SETTINGS' }),
  /**
   * Marketing bookkeeping in the customer's partition (docs/marketing.md): recent send times (the
   * frequency cap is a condition on this item) and the offer lock. `$` keeps them out of the 360
   * view's ranges; erasure deletes them; export lists them under `other`.
   */
  marketingFrequency: (tenantId: string, customerId: string) => ({ PK: `${tenant(tenantId)}#C#${customerId}`, SK: `${MARKETING_SK_PREFIX}FREQ` }),
  /** A lead's frequency cap (campaigns mailing leads segments): in the lead's partition, exported and erased with it. */
  leadMarketingFrequency: (tenantId: string, leadId: string) => ({ PK: `${tenant(tenantId)}#L#${leadId}`, SK: `${MARKETING_SK_PREFIX}FREQ` }),
  /**
   * A contact's frequency cap (campaigns mailing contacts segments): in its company's partition
   * under `$MKT#`, so erasing or exporting the company takes it along. Not under `$MKT#FREQ`, so a
   * prefix read of the company's own cap item never meets it.
   */
  contactMarketingFrequency: (tenantId: string, customerId: string, contactId: string) => ({ PK: `${tenant(tenantId)}#C#${customerId}`, SK: `${MARKETING_SK_PREFIX}CONTACT#${contactId}#FREQ` }),
  /** A contact's cap item from its cap holder id (`contactCapHolder`): how a frequency repository keyed by one id finds it. */
  contactMarketingFrequencyOf: (tenantId: string, holder: string) => {
    const [customerId = '', contactId = ''] = holder.split('#');
    return keys.contactMarketingFrequency(tenantId, customerId, contactId);
  },
  offerLock: (tenantId: string, customerId: string) => ({ PK: `${tenant(tenantId)}#C#${customerId}`, SK: `${MARKETING_SK_PREFIX}OFFER` }),
  /**
   * The tenant's suppression list (docs/marketing.md): one item per address, keyed by the SHA-256
   * of the normalized address so erasure can drop the address and keep the suppression
   * (docs/privacy.md). Listing is one Query; a campaign batch looks up 100 at a time.
   */
  suppression: (tenantId: string, addressHash: string) => ({ PK: `${tenant(tenantId)}#SUPPRESSED`, SK: `EMAIL#${addressHash}` }),
  suppressions: (tenantId: string) => ({ PK: `${tenant(tenantId)}#SUPPRESSED`, skPrefix: 'EMAIL#' }),
  /**
   * Privacy requests by person (docs/privacy.md, "Requests by address"): the tenant's requests in
   * one partition, newest first by one Query (ULID ids). They hold ids and kinds of what was
   * found, never the address.
   */
  privacyRequest: (tenantId: string, requestId: string) => ({ PK: `${tenant(tenantId)}#PRIVREQ`, SK: `REQ#${requestId}` }),
  privacyRequests: (tenantId: string) => ({ PK: `${tenant(tenantId)}#PRIVREQ`, skPrefix: 'REQ#' }),
  /**
   * An erasure under way for one address (its SHA-256): written with attribute_not_exists beside
   * the request, so two erasures of one person cannot both start; deleted when the request is
   * done, so the hash is kept only while the work is.
   */
  privacyRequestLock: (tenantId: string, addressHash: string) => ({ PK: `${tenant(tenantId)}#PRIVREQ`, SK: `OPEN#${addressHash}` }),
  privacyRequestLocks: (tenantId: string) => ({ PK: `${tenant(tenantId)}#PRIVREQ`, skPrefix: 'OPEN#' }),
  /** Campaigns (docs/marketing.md, "Campaigns"): a tenant's campaigns in one partition, listed by one Query; stats live on the item. */
  campaign: (tenantId: string, campaignId: string) => ({ PK: `${tenant(tenantId)}#CAMPAIGNS`, SK: `CAMP#${campaignId}` }),
  campaigns: (tenantId: string) => ({ PK: `${tenant(tenantId)}#CAMPAIGNS`, skPrefix: 'CAMP#' }),
  /**
   * A campaign's frozen audience: one item per customer in the campaign's own partition, holding
   * ids and the recipient's status only (no address: erasure need not look here). The send flow
   * claims an item before mailing, so a retried batch never mails one recipient twice.
   */
  campaignRecipient: (tenantId: string, campaignId: string, customerId: string) => ({ PK: `${tenant(tenantId)}#CAMP#${campaignId}`, SK: `R#${customerId}` }),
  campaignRecipients: (tenantId: string, campaignId: string) => ({ PK: `${tenant(tenantId)}#CAMP#${campaignId}`, skPrefix: 'R#' }),
  /** Sends of one campaign in one wall-clock second: its `ratePerSecond` is a condition on this item (TTL). */
  campaignSendRate: (tenantId: string, campaignId: string, epochSecond: number) => ({ PK: `${tenant(tenantId)}#CAMP#${campaignId}`, SK: `$RATE#${epochSecond}` }),
  /**
   * Sends of the whole SES account in one wall-clock second, across tenants, campaigns and
   * automations: the account's maximum send rate is a condition on this item (TTL). Not a tenant
   * key on purpose: the SES quota belongs to the account, and the item holds only a count.
   */
  sesSendRate: (epochSecond: number) => ({ PK: 'SES#RATE', SK: `S#${epochSecond}` }),
  /**
   * The secret that signs unsubscribe links (docs/marketing.md, decision 56), created once by the
   * first function that needs it. Not a tenant key on purpose: one secret signs every tenant's
   * links, and only the functions that sign or read links may touch this partition (IAM
   * `dynamodb:LeadingKeys`).
   */
  unsubscribeSigningKey: () => ({ PK: UNSUBSCRIBE_SIGNING_KEY_PK, SK: 'SECRET' }),
  /** Event-triggered automations (docs/marketing.md, "Automations"): one Query lists a tenant's automations for the dispatcher. */
  automation: (tenantId: string, automationId: string) => ({ PK: `${tenant(tenantId)}#AUTOMATIONS`, SK: `AUTO#${automationId}` }),
  automations: (tenantId: string) => ({ PK: `${tenant(tenantId)}#AUTOMATIONS`, skPrefix: 'AUTO#' }),
  /** How many automations the tenant has: the per-tenant cap is a condition on this item (`$` sorts before `AUTO#`). */
  automationCounter: (tenantId: string) => ({ PK: `${tenant(tenantId)}#AUTOMATIONS`, SK: '$COUNT' }),
  /**
   * An automation's counters (docs/marketing.md, "Automation statistics"): its own partition, not
   * the tenant's automations partition, so every send and SES event of a busy automation writes
   * beside neither the list the dispatcher reads nor another automation's counters.
   */
  automationStats: (tenantId: string, automationId: string) => ({ PK: `${tenant(tenantId)}#AUTO#${automationId}`, SK: 'STATS' }),
  /**
   * One automation's send for one domain event, in its recipient's partition (the customer's or
   * the lead's; a contact's is in its company's, one per contact): the conditional Put of this key
   * makes a redelivered event a no-op, and while the send is pending it carries the marketing-due
   * GSI2 keys. A `$MKT#` item: outside the 360 view, deleted by erasure.
   */
  automationSend: (tenantId: string, recipient: { kind: 'customer' | 'lead' | 'contact'; id: string; customerId?: string }, automationId: string, eventId: string) =>
    recipient.kind === 'contact'
      ? { PK: `${tenant(tenantId)}#C#${recipient.customerId}`, SK: `${MARKETING_SK_PREFIX}AUTO#${automationId}#${eventId}#CONTACT#${recipient.id}` }
      : { PK: `${tenant(tenantId)}#${recipient.kind === 'lead' ? 'L' : 'C'}#${recipient.id}`, SK: `${MARKETING_SK_PREFIX}AUTO#${automationId}#${eventId}` },
  /**
   * GSI2 entry of marketing work due at a time (a scheduled campaign start, a delayed automation
   * send): like the reclaim index, a system sweep reads it across tenants, so the partition is not
   * a tenant's and the sort key names the tenant.
   */
  marketingDue: (dueAt: string, tenantId: string, kind: string, id: string) => ({ GSI2PK: 'MKTDUE', GSI2SK: `${dueAt}#${tenantId}#${kind}#${id}` }),
  marketingDuePartition: 'MKTDUE',
  /** Open leads assigned to a rep: least-loaded routing reads these and conditions on them. */
  userLeadLoad: (tenantId: string, userId: string) => ({ PK: `${tenant(tenantId)}#USER#${userId}`, SK: 'LEADS' }),
  /** Web forms: the tenant is part of the public form key, so the lookup stays inside the tenant. */
  form: (tenantId: string, secret: string) => ({ PK: `${tenant(tenantId)}#FORMS`, SK: `FORM#${secret}` }),
  forms: (tenantId: string) => ({ PK: `${tenant(tenantId)}#FORMS`, skPrefix: 'FORM#' }),
  /** Submissions of one source IP to one form in one window: the rate limit is a condition on it (TTL). */
  formRateWindow: (tenantId: string, formId: string, sourceIp: string, window: string) => ({
    PK: `${tenant(tenantId)}#FORMRATE#${formId}#${sourceIp}`,
    SK: `W#${window}`,
  }),
  /** A case form's submission (a digest of address, subject, description): the same one again soon answers with its case (TTL). */
  formSubmission: (tenantId: string, formId: string, digest: string) => ({ PK: `${tenant(tenantId)}#FORMSUB#${formId}#${digest}`, SK: 'SUBMITTED' }),
  /**
   * The search word index (docs/search.md): one item per (token, record), in a partition per
   * tenant and the token's first SEARCH_SHARD_LENGTH characters, so a prefix of at least that many
   * characters is one Query on one partition and a big tenant's words spread over many partitions.
   * The sort key starts with the token (`begins_with` serves prefixes), then the kind of match,
   * the record's type and its key (`<customerId>#<contactId>` for records inside a customer).
   */
  searchEntry: (tenantId: string, token: string, matched: string, type: string, recordKey: string) => ({
    PK: searchShardPartition(tenantId, token),
    SK: `${token}#${matched}#${type}#${recordKey}`,
  }),
  searchShard: (tenantId: string, prefix: string) => searchShardPartition(tenantId, prefix),
  // satisfaction surveys (CSAT, NPS; docs/service.md, "Satisfaction surveys")
  /** The tenant's survey settings: one item, versioned. */
  surveySettings: (tenantId: string) => ({ PK: `${tenant(tenantId)}#SURVEYCONFIG`, SK: 'SETTINGS' }),
  /**
   * A survey sent after a case's resolution, in the customer's partition it was sent for, as a `$`
   * item (outside the 360 view's ranges, left where it was written by a merge, scrubbed by
   * erasure); GSI3 puts it beside its case (`SURVEY#<id>` sorts after the case and its thread), so
   * `GET /cases/{id}` reads the answer in the same Query.
   */
  survey: (tenantId: string, customerId: string, caseId: string, surveyId: string) => ({
    PK: keys.customerPartition(tenantId, customerId),
    SK: `${SURVEY_SK_PREFIX}${surveyId}`,
    GSI3PK: keys.caseThread(tenantId, caseId),
    GSI3SK: `${SURVEY_GSI3_PREFIX}${surveyId}`,
  }),
  /**
   * Satisfaction counters of one kind and month: the tenant's (`ALL`), each agent's (`AGENT#<id>`)
   * and each team's (`TEAM#<id>`) in one partition, so a figure is one GetItem and an answer
   * moves its three counters in its own transaction.
   */
  satisfactionCounter: (tenantId: string, kind: string, month: string, scope: string) => ({ PK: `${tenant(tenantId)}#SATISFACTION#${kind}#${month}`, SK: scope }),
  // Routing to agents (docs/service.md, "Routing to agents")
  /**
   * The tenant's agents and its routing policy in one partition, so the router reads the whole
   * roster with the policy in one Query. An agent's item holds presence, skills, capacity, the ids
   * of the active cases assigned to them (`caseIds`, a string set: the load) and the routing
   * assignment count that round-robin balances.
   */
  agentsPartition: (tenantId: string) => `${tenant(tenantId)}#AGENTS`,
  agent: (tenantId: string, userId: string) => ({ PK: `${tenant(tenantId)}#AGENTS`, SK: `${AGENT_SK_PREFIX}${userId}` }),
  routingPolicy: (tenantId: string) => ({ PK: `${tenant(tenantId)}#AGENTS`, SK: 'POLICY' }),
  // Customer processes (docs/processes.md)
  /** The catalog in one partition (a tenant's products number in the thousands); its sku guards beside them. */
  product: (tenantId: string, productId: string) => ({ PK: `${tenant(tenantId)}#PRODUCTS`, SK: `PROD#${productId}` }),
  products: (tenantId: string) => ({ PK: `${tenant(tenantId)}#PRODUCTS`, skPrefix: 'PROD#' }),
  productSku: (tenantId: string, sku: string) => ({ PK: `${tenant(tenantId)}#PRODUCTS`, SK: `SKU#${sku.toUpperCase()}` }),
  /** Quotes, processes and (later) orders live in their customer's partition: the 360 view reads them with the rest. */
  quote: (tenantId: string, customerId: string, quoteId: string) => ({ PK: keys.customerPartition(tenantId, customerId), SK: `${QUOTE_SK_PREFIX}${quoteId}` }),
  /** GSI3: a quote by id (`QUOTE`), with its earlier revisions (`REV#<version>`). */
  quoteById: (tenantId: string, quoteId: string) => ({ GSI3PK: `${tenant(tenantId)}#QUOTE#${quoteId}`, GSI3SK: 'QUOTE' }),
  quoteRevision: (tenantId: string, customerId: string, quoteId: string, version: number) => ({
    PK: keys.customerPartition(tenantId, customerId),
    SK: `$QUOTEREV#${quoteId}#${String(version).padStart(6, '0')}`,
    GSI3PK: `${tenant(tenantId)}#QUOTE#${quoteId}`,
    GSI3SK: `REV#${String(version).padStart(6, '0')}`,
  }),
  /** Quote numbers count up per tenant and year (Q-2026-0001). */
  quoteNumbers: (tenantId: string, year: string) => ({ PK: `${tenant(tenantId)}#QUOTES`, SK: `NUMBER#${year}` }),
  approvalPolicy: (tenantId: string, kind: string) => ({ PK: `${tenant(tenantId)}#APPROVALPOLICIES`, SK: `POLICY#${kind}` }),
  process: (tenantId: string, customerId: string, processId: string) => ({ PK: keys.customerPartition(tenantId, customerId), SK: `${PROCESS_SK_PREFIX}${processId}` }),
  /** GSI3: a process (`PROC`) with its approvals (`APR#<approval id>`), read together by deciding. */
  processCollection: (tenantId: string, processId: string) => `${tenant(tenantId)}#PROC#${processId}`,
  /** Bookkeeping of the customer's partition (`$`): the 360 view shows the process, not each approver's part. */
  approval: (tenantId: string, customerId: string, approvalId: string) => ({ PK: keys.customerPartition(tenantId, customerId), SK: `$APR#${approvalId}` }),
  order: (tenantId: string, customerId: string, orderId: string) => ({ PK: keys.customerPartition(tenantId, customerId), SK: `${ORDER_SK_PREFIX}${orderId}` }),
  orderById: (tenantId: string, orderId: string) => ({ GSI3PK: `${tenant(tenantId)}#ORDER#${orderId}`, GSI3SK: 'ORDER' }),
  orderNumbers: (tenantId: string, year: string) => ({ PK: `${tenant(tenantId)}#ORDERS`, SK: `NUMBER#${year}` }),
  /** GSI2: an invoiced, unpaid order from the moment it turns overdue (the day after its due date). */
  invoiceDue: (overdueFrom: string, tenantId: string, orderId: string) => ({ GSI2PK: INVOICE_DUE_PK, GSI2SK: `${overdueFrom}#${tenantId}#${orderId}` }),
  /** The customer's purchase figures (orders, spend per currency, first and last), kept by every order commit. */
  purchaseSummary: (tenantId: string, customerId: string) => ({ PK: keys.customerPartition(tenantId, customerId), SK: PURCHASE_SUMMARY_SK }),
  /** GSI1: an approver's inbox, pending or done, oldest first. */
  approvalInbox: (tenantId: string, approverId: string, status: 'pending' | 'done') => `${tenant(tenantId)}#APPROVALS#${approverId}#${status.toUpperCase()}`,
  /**
   * GSI2: a pending approval whose step has a time limit, at the limit's end; gone once it is
   * decided, closed or escalated. One partition for all tenants (read only by the escalation
   * sweep, like CASESLA): approvals are written at human pace.
   */
  approvalDue: (dueAt: string, tenantId: string, approvalId: string) => ({ GSI2PK: APPROVAL_DUE_PK, GSI2SK: `${dueAt}#${tenantId}#${approvalId}` }),
  /** A tenant's CSV imports, newest first (docs/integrations.md, "Imports"). */
  importJob: (tenantId: string, importId: string) => ({ PK: `${tenant(tenantId)}#IMPORTS`, SK: `IMPORT#${importId}` }),
  importJobs: (tenantId: string) => ({ PK: `${tenant(tenantId)}#IMPORTS`, skPrefix: 'IMPORT#' }),
  /** That one batch of a run is written and counted: the import's progress, exactly once per batch. */
  importChunk: (tenantId: string, importId: string, runId: string, chunk: number, part = '') => ({
    PK: `${tenant(tenantId)}#IMPORT#${importId}`,
    SK: `RUN#${runId}#CHUNK#${String(chunk).padStart(6, '0')}${part}`,
  }),
  /** A tenant's webhook subscriptions, beside the count that caps them (`$COUNT`). */
  webhook: (tenantId: string, webhookId: string) => ({ PK: `${tenant(tenantId)}#WEBHOOKS`, SK: `HOOK#${webhookId}` }),
  webhooks: (tenantId: string) => ({ PK: `${tenant(tenantId)}#WEBHOOKS`, skPrefix: 'HOOK#' }),
  webhookCounter: (tenantId: string) => ({ PK: `${tenant(tenantId)}#WEBHOOKS`, SK: '$COUNT' }),
  /** One event's delivery to one webhook, in the webhook's own partition (its delivery log, newest first by event id). */
  webhookDelivery: (tenantId: string, webhookId: string, deliveryId: string) => ({ PK: `${tenant(tenantId)}#HOOK#${webhookId}`, SK: `DEL#${deliveryId}` }),
  webhookDeliveries: (tenantId: string, webhookId: string) => ({ PK: `${tenant(tenantId)}#HOOK#${webhookId}`, skPrefix: 'DEL#' }),
  /** The webhook's latest replay, beside its delivery log: a conditional write on it lets one replay at a time start. */
  webhookReplay: (tenantId: string, webhookId: string) => ({ PK: `${tenant(tenantId)}#HOOK#${webhookId}`, SK: 'REPLAY' }),
  /** GSI2: a pending delivery at its next attempt; one partition for all tenants, read by the retry sweep. */
  webhookDue: (dueAt: string, tenantId: string, webhookId: string, deliveryId: string) => ({ GSI2PK: WEBHOOK_DUE_PK, GSI2SK: `${dueAt}#${tenantId}#${webhookId}#${deliveryId}` }),
  // Exports (docs/integrations.md, "Exports")
  /** An export job in its requester's partition: their list, newest first (ULIDs). */
  exportJob: (tenantId: string, userId: string, exportId: string) => ({ PK: `${tenant(tenantId)}#USER#${userId}#EXPORTS`, SK: `EXP#${exportId}` }),
  exportJobs: (tenantId: string, userId: string) => ({ PK: `${tenant(tenantId)}#USER#${userId}#EXPORTS`, skPrefix: 'EXP#' }),
  /** GSI3: an export by id alone, for admins reading another user's. */
  exportById: (tenantId: string, exportId: string) => ({ GSI3PK: `${tenant(tenantId)}#EXPORT#${exportId}`, GSI3SK: 'EXPORT' }),
  // Contracts (docs/processes.md, "Contracts")
  /** A contract in its customer's partition (the 360 view's `CONTRACT#` range). */
  contract: (tenantId: string, customerId: string, contractId: string) => ({ PK: keys.customerPartition(tenantId, customerId), SK: `${CONTRACT_SK_PREFIX}${contractId}` }),
  contractById: (tenantId: string, contractId: string) => ({ GSI3PK: `${tenant(tenantId)}#CONTRACT#${contractId}`, GSI3SK: 'CONTRACT' }),
  /** Contract numbers count up per tenant and year (C-2026-0001). */
  contractNumbers: (tenantId: string, year: string) => ({ PK: `${tenant(tenantId)}#CONTRACTS`, SK: `NUMBER#${year}` }),
  /**
   * GSI2: an active contract whose renewal notice is still to be raised, from the day it is due
   * (`endsOn` less its notice days). One partition for all tenants, read only by the renewal sweep.
   * A contract under approval carries the sort key alone (not in the index); approval sets the
   * partition key (docs/processes.md, "Contracts").
   */
  contractRenewalDue: (dueFrom: string, tenantId: string, contractId: string) => ({ GSI2PK: CONTRACT_RENEWAL_PK, GSI2SK: `${dueFrom}#${tenantId}#${contractId}` }),
} as const;

/** Sort-key prefixes of a customer's quotes and processes (the 360 view's sections). */
export const QUOTE_SK_PREFIX = 'QUOTE#';
export const PROCESS_SK_PREFIX = 'PROC#';
export const ORDER_SK_PREFIX = 'ORDER#';
export const PURCHASE_SUMMARY_SK = 'PURCHASES';
/** Sort-key prefix of a customer's contracts, and the renewal sweep's GSI2 partition (keys.contractRenewalDue). */
export const CONTRACT_SK_PREFIX = 'CONTRACT#';
export const CONTRACT_RENEWAL_PK = 'CONTRACTRENEWAL';

/** Sort-key prefix of a survey in its customer's partition, and of its GSI3 entry beside its case (satisfaction surveys). */
export const SURVEY_SK_PREFIX = '$SURVEY#';
export const SURVEY_GSI3_PREFIX = 'SURVEY#';

/** An agent's item in the tenant's agents partition (keys.agent). */
export const AGENT_SK_PREFIX = 'AGENT#';

/** Characters of a search token that pick its index partition; the shortest search is as long. */
export const SEARCH_SHARD_LENGTH = 2;

/** Code points, not UTF-16 units: a shard never splits a character. */
function searchShardPartition(tenantId: string, tokenOrPrefix: string): string {
  return `${tenant(tenantId)}#SRCH#${Array.from(tokenOrPrefix).slice(0, SEARCH_SHARD_LENGTH).join('')}`;
}

/**
 * The record partition a table key names: a customer's (`T#<t>#C#<id>`) or a lead's
 * (`T#<t>#L#<id>`); anything else undefined. The search indexer reads stream keys with it.
 */
export function recordPartitionOf(pk: string): { kind: 'customer' | 'lead'; tenantId: string; id: string } | undefined {
  const match = /^T#([A-Za-z0-9_-]{1,64})#(C|L)#([^#]+)$/.exec(pk);
  if (!match) return undefined;
  return { kind: match[2] === 'C' ? 'customer' : 'lead', tenantId: match[1]!, id: match[3]! };
}

/** Engagement signals of a lead sort by when they happened. */
export const LEAD_SIGNAL_SK_PREFIX = 'SIG#';
