import { Conflict, NotFound } from '../errors';

/** An approval that does not exist and one that is not the caller's to decide look the same. */
export class ApprovalNotFound extends NotFound {
  constructor(id: string) {
    super(`Approval ${id} not found among yours`);
  }
}

/** Each approval is decided once: the second click (or a concurrent approver's) gets this. */
export class ApprovalDecided extends Conflict {
  override readonly slug = 'approval-decided';
  constructor(id: string, status: string) {
    super(
      status === 'closed' ? `Approval ${id} needs no decision any more: its step was decided or its request ended`
      : status === 'escalated' ? `Approval ${id} passed its time limit and went to someone else to decide`
      : `Approval ${id} was already ${status}`,
    );
    this.extensions.currentStatus = status;
  }
}

/** The process ended (decided, recalled, superseded by an edit) or moved to another step. */
export class ProcessNotRunning extends Conflict {
  override readonly slug = 'process-not-running';
  constructor(id: string, status: string) {
    super(status === 'running' ? `Process ${id} waits on another step now` : `Process ${id} is ${status}; it takes no decisions`);
    this.extensions.currentStatus = status;
  }
}

/** The request changed after its approval started: the approval was for the version it started with. */
export class StaleApproval extends Conflict {
  override readonly slug = 'stale-approval';
  constructor(subject: string, version: number) {
    super(`${subject} changed after its approval started (at version ${version}); the approval no longer applies`);
    this.extensions.approvedVersion = version;
  }
}

export class ProcessNotFound extends NotFound {
  constructor(id: string) {
    super(`Process ${id} not found`);
  }
}
