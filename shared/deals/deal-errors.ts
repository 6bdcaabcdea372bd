import { Conflict, NotFound, PreconditionFailed } from '../errors';

/** Unknown deals and deals the caller may not read look the same: no existence leaks. */
export class DealNotFound extends NotFound {
  constructor(dealId: string) {
    super(`Deal ${dealId} not found`);
  }
}

export class PipelineNotFound extends NotFound {
  constructor(pipelineId: string) {
    super(`Pipeline ${pipelineId} not found`);
  }
}

/** Won and lost deals change only through an explicit reopen (`status: open`). */
export class DealClosed extends Conflict {
  override readonly slug = 'deal-closed';
  constructor(dealId: string, status: string) {
    super(`Deal ${dealId} is ${status}; reopen it with {"status": "open"} to change it`);
    Object.assign(this.extensions, { dealStatus: status });
  }
}

export class StaleDeal extends PreconditionFailed {
  constructor(readonly currentVersion: number) {
    super(`The deal has changed since the version you sent; it is now at version ${currentVersion}`);
    Object.assign(this.extensions, { currentVersion, currentETag: `"${currentVersion}"` });
  }
}

/** The customer kept changing while the deal was written (retried, then given up). */
export class DealConflict extends Conflict {
  override readonly slug = 'deal-conflict';
  constructor() {
    super('The customer changed while the deal was written; send it again');
  }
}

/** A removed stage's deals are still moving: finish that (PATCH with `{}`) before another change. */
export class StageMoveInProgress extends Conflict {
  override readonly slug = 'stage-move-in-progress';
  constructor(stageIds: string[]) {
    super(`Deals of removed stage(s) ${stageIds.join(', ')} are still moving; send PATCH {} with If-Match to resume, then change the pipeline`);
    Object.assign(this.extensions, { retiring: stageIds });
  }
}
