import { Conflict, NotFound } from '../errors';

/** Unknown tasks and tasks the caller may not see look the same. */
export class TaskNotFound extends NotFound {
  constructor(taskId: string) {
    super(`Task ${taskId} not found`);
  }
}

/** A done task is history: it is not edited (its completion is on the timeline). */
export class TaskDone extends Conflict {
  override readonly slug = 'task-done';
  constructor(taskId: string) {
    super(`Task ${taskId} is done; open a new one for the next step`);
  }
}

/** The task kept changing, or its record went away, while the write was retried. */
export class TaskConflict extends Conflict {
  override readonly slug = 'task-conflict';
  constructor(message = 'The task or its record changed meanwhile; read it and send again') {
    super(message);
  }
}
