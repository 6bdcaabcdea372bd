import * as z from 'zod/mini';
import { EVENT_SOURCE } from '../../events/envelope';
import { EVENT_CONTRACTS } from '../../events/index';
import type { Caller } from '../access/caller';
import { runsMarketing } from '../access/permissions';
import type { MarketingRecipient } from '../consent/marketing-recipient';
import { Forbidden } from '../errors';

type JsonSchema = Record<string, unknown>;

/** One event type a pattern can match, as the catalog describes it. */
export interface CatalogEntry {
  detailType: string;
  /** Can trigger an automation: its `data` names the customer or the lead it happened to. */
  automatable: boolean;
  /** Whom its automations mail: the customer its `data` names first, else the lead (marketingRecipientOf). */
  recipients: MarketingRecipient['kind'][];
  /** The JSON Schema of `detail.data`: the fields a pattern can name under `detail.data`. */
  data: JsonSchema;
  /** The smallest pattern that matches this event, to start from. */
  examplePattern: { source: string[]; 'detail-type': string[] };
}

/** What every event's `detail` carries besides `data` (the envelope). */
export interface EventCatalog {
  source: string;
  envelope: JsonSchema;
  items: CatalogEntry[];
}

const asSchema = (value: unknown): JsonSchema => (value && typeof value === 'object' ? (value as JsonSchema) : {});

/**
 * Every event type a pattern can match, generated from the event contracts (events/): so a new
 * event reaches the catalog by being defined, and a field renamed in a contract is renamed here.
 * Pure; built once per container.
 */
export function buildEventCatalog(): EventCatalog {
  let envelope: JsonSchema = {};
  const items = Object.values(EVENT_CONTRACTS)
    .map((contract): CatalogEntry => {
      const detail = z.toJSONSchema(contract.schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as JsonSchema;
      const { data, type: _type, ...rest } = asSchema(detail.properties);
      envelope = rest;
      const dataSchema = asSchema(data);
      const fields = asSchema(dataSchema.properties);
      // The dispatcher mails the customer the event names, else its lead; an event that may name none (null) still can.
      const recipients = (['customer', 'lead'] as const).filter((kind) => Object.keys(asSchema(fields[`${kind}Id`])).length > 0);
      return {
        detailType: contract.detailType,
        automatable: recipients.length > 0,
        recipients,
        data: dataSchema,
        examplePattern: { source: [EVENT_SOURCE], 'detail-type': [contract.detailType] },
      };
    })
    .sort((a, b) => a.detailType.localeCompare(b.detailType));
  return { source: EVENT_SOURCE, envelope, items };
}

let catalog: EventCatalog | undefined;

/** GET /automations/event-catalog: for the marketers and admins who write patterns. */
export function eventCatalogFor(caller: Caller): EventCatalog {
  if (!runsMarketing(caller)) throw new Forbidden('Only marketers and admins manage automations');
  catalog ??= buildEventCatalog();
  return catalog;
}
