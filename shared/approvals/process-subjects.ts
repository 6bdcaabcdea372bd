import type { NamedItem } from '../aws/transact-write';
import type { ProcessHead, SubjectType } from './approval-process';
import type { ProcessSubjects } from './approval-use-cases';

/**
 * One `ProcessSubjects` over every kind of subject: each call goes to the area of the process's
 * `subject.type` (quotes, contracts), so the decisions, the flow's finish and recalls stay unaware
 * of which record they settle.
 */
export function subjectsByType(areas: Readonly<Record<SubjectType, ProcessSubjects>>): ProcessSubjects {
  const of = (type: SubjectType): ProcessSubjects => {
    const area = areas[type];
    if (!area) throw new Error(`No process subjects of type ${String(type)}`);
    return area;
  };
  return {
    stillPending: (tenantId, head) => of(head.subject.type).stillPending(tenantId, head),
    settle: (tenantId, head, outcome) => of(head.subject.type).settle(tenantId, head, outcome),
    describe: (head) => of(head.subject.type).describe(head),
  };
}

/** Holds while the subject at `key` is the version its process is for and still waits on it (`pending-approval`). */
export function pendingSubjectCheck(tableName: string, key: { PK: string; SK: string }, head: Pick<ProcessHead, 'subject'>): NamedItem {
  return {
    name: 'subject',
    conditionCheck: {
      TableName: tableName,
      Key: key,
      ConditionExpression: '#version = :version AND #status = :pending',
      ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
      ExpressionAttributeValues: { ':version': head.subject.version, ':pending': 'pending-approval' },
    },
  };
}
