/**
 * The condition every write into a customer's partition puts on its profile: it exists and is
 * neither merged nor erased. Without it a note logged a moment after an erasure, or a contact
 * added while a merge moves records, would land beside a tombstone and escape the scrub or move.
 * Live profiles store both markers as NULL, older ones may lack them.
 */
export const LIVE_PROFILE_CONDITION =
  'attribute_exists(PK) AND (attribute_not_exists(mergedInto) OR mergedInto = :liveNull) AND (attribute_not_exists(erasedAt) OR erasedAt = :liveNull)';

export const LIVE_PROFILE_VALUES = { ':liveNull': null } as const;
