import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/customer-service';
import { poolCustomerLister } from '../pools/pool-customer-list-service';
import { poolRepository } from '../pools/pool-service';
import { ENV, requireEnv } from '../runtime-env';
import { OwnershipRepository } from './ownership-repository';
import type { PoolClaimDeps } from './pool-claim-use-case';

/** What the bulk claim reads and writes, wired to this container's table; built once per container. */
export const poolClaimDeps: PoolClaimDeps = {
  customers: customerRepository,
  ownership: new OwnershipRepository(documentClient, requireEnv(ENV.tableName)),
  pools: poolRepository,
  waiting: poolCustomerLister,
};
