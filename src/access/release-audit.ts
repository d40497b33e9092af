import type { AuditEntry } from '../modules/audit/audit-writer';
import type { GroundRef } from '../policy/types';
import type { Purpose } from './purpose';

/**
 * The actions of events that release records. Their events are found by the records' children
 * rather than by the index on `result_ids`, which leaves them out (migration
 * AuditIndexWithoutReads); a new action here needs that index's predicate, and the database's
 * check that a release names its child (AuditReadsByChild), changed with it.
 */
export const RELEASE_ACTIONS = ['RECORD_LIST', 'RECORD_READ', 'CHRONOLOGY'] as const;
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];

export interface Released {
  readonly recordId: string;
  readonly childId: string;
  readonly agencyId: string;
  readonly outcome: 'FULL' | 'FLAG';
  readonly grounds: readonly GroundRef[];
  readonly reviewable: boolean;
}

/**
 * One audit event per child, owning agency, outcome and exact set of grounds, naming every
 * record it covers (FHIR AuditEvent: one event, many entities). Each record's grounds are
 * exactly its event's grounds, so nothing about any single read is lost, and a page of two
 * hundred records costs a handful of rows rather than two hundred.
 */
export function releaseEvents(action: ReleaseAction, purpose: Purpose, released: readonly Released[]): AuditEntry[] {
  const groups = new Map<string, { first: Released; recordIds: string[] }>();
  for (const item of released) {
    // Ids, codes and booleans: none holds a '|' or ':', so the key is unambiguous.
    let key = `${item.childId}|${item.agencyId}|${item.outcome}|${item.reviewable}`;
    for (const g of item.grounds) key += `|${g.kind}:${g.id}`;
    const group = groups.get(key);
    if (group) group.recordIds.push(item.recordId);
    else groups.set(key, { first: item, recordIds: [item.recordId] });
  }
  return [...groups.values()].map(({ first, recordIds }) => ({
    action,
    outcome: first.outcome,
    childId: first.childId,
    recordId: recordIds.length === 1 ? recordIds[0] : null,
    recordAgencyId: first.agencyId,
    resultIds: recordIds,
    grounds: first.grounds,
    purpose,
    reviewable: first.reviewable,
  }));
}
