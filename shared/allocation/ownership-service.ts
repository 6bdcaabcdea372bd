import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/customer-service';
import { poolRepository } from '../pools/pool-service';
import { ENV, requireEnv } from '../runtime-env';
import { userDirectory } from '../users/user-service';
import { OwnershipRepository } from './ownership-repository';
import type { OwnershipDeps } from './ownership-write';

/** What the ownership operations read and write, wired to this container's table; built once per container. */
export const ownershipDeps: OwnershipDeps = {
  customers: customerRepository,
  ownership: new OwnershipRepository(documentClient, requireEnv(ENV.tableName)),
  directory: {
    pool: (tenantId, poolId) => poolRepository.get(tenantId, poolId),
    pools: (tenantId) => poolRepository.list(tenantId),
    teamOf: async (tenantId, userId) => (await userDirectory.get(tenantId, userId))?.teamId ?? null,
  },
};
