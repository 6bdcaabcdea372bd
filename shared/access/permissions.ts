import { type Caller, hasAnyGroup } from './caller';

/**
 * The role checks several areas share, named for what the roles are for. Area-specific rules
 * (owners, teams, pool members) stay with their area and build on these.
 */

/** Admins run the tenant: pools, pipelines, custom fields, the user directory, privacy requests. */
export const isAdmin = (caller: Caller) => hasAnyGroup(caller, 'admin');

/** Admins and marketers run marketing: templates, segments, campaigns, automations, forms, settings, lead scoring. */
export const runsMarketing = (caller: Caller) => hasAnyGroup(caller, 'admin', 'marketer');

/** Admins and managers oversee the sales reps: they assign owners, read boards, route leads, list users. */
export const overseesReps = (caller: Caller) => hasAnyGroup(caller, 'admin', 'manager');
