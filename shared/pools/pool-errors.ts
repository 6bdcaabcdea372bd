import { Conflict, NotFound } from '../errors';

/** Unknown pools and pools the caller is not a member of look the same: no existence leaks. */
export class PoolNotFound extends NotFound {
  constructor(poolId: string) {
    super(`Pool ${poolId} not found`);
  }
}

/** The tenant always has a default pool: it moves to another pool, it is never just unset. */
export class DefaultPoolRequired extends Conflict {
  override readonly slug = 'default-pool-required';
  constructor(poolId: string) {
    super(`Pool ${poolId} is the tenant's default pool; make another pool the default instead`);
    Object.assign(this.extensions, { poolId });
  }
}

/** The default pool kept moving while this request tried to move it (retried, then given up). */
export class PoolConflict extends Conflict {
  override readonly slug = 'pool-conflict';
  constructor(message = 'The default pool changed while this request was written; send it again') {
    super(message);
  }
}
