import { expect } from 'vitest';
import { call, settle, uniqueEmail } from './client';

/** What an approver's inbox lists (docs/processes.md, "Approvals"). */
export interface InboxApproval {
  id: string;
  processId: string;
  approverId: string;
  onBehalfOf: string | null;
  status: string;
  step: number;
  dueAt: string | null;
}

/** Invites a user into the tenant's directory (POST /users) as its admin: with groups and a manager, as approval chains read them. */
export function inviter(admin: string) {
  return async (name: string, groups: string[], managerId?: string): Promise<string> => {
    const res = await call<{ userId: string }>('POST', '/users', { token: admin, body: { email: uniqueEmail(name.split(' ')[0]!.toLowerCase()), name, groups, ...(managerId ? { managerId } : {}) } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.userId;
  };
}

/** The caller's pending approvals, once everything already caused has happened. */
export async function pendingInbox(token: string): Promise<InboxApproval[]> {
  await settle();
  return (await call<{ items: InboxApproval[] }>('GET', '/approvals?assignee=me&status=pending', { token })).body.items;
}
