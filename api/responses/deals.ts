import * as z from 'zod/mini';
import { DEAL_STATUSES } from '../../shared/deals/deal';
import type { dealView } from '../../shared/deals/deal-view';

/** Sums per currency, as boards and the forecast answer them. */
export const moneyByCurrency = z.record(z.string(), z.string()).check(z.describe('Currency (ISO 4217) -> decimal string, e.g. {"EUR": "1234.50"}; no conversion between currencies'));

/**
 * A deal as the API shows it (`dealView`), for the OpenAPI document: the deal routes and the 360
 * view's `deals` both use it. Apart from common.ts, which imports it, so neither imports the other back.
 */
export const dealResponse = z.object({
  id: z.string(),
  customerId: z.string(),
  pipelineId: z.string(),
  stageId: z.string(),
  status: z.enum(DEAL_STATUSES),
  name: z.string(),
  amount: z.string(),
  currency: z.string(),
  expectedCloseDate: z.string(),
  ownerId: z.nullable(z.string()).check(z.describe('Null while its customer waits in a pool: released and reclaimed customers take their open deals along')),
  teamId: z.nullable(z.string()),
  closedAt: z.nullable(z.string()),
  closeReason: z.nullable(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number(),
});

// ---- the schema above must describe what the code returns ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
type _DealResponseMatchesTheCode = Holds<Equals<z.output<typeof dealResponse>, ReturnType<typeof dealView>>>;
