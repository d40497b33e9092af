import type { EntityManager } from 'typeorm';
import { CoalescedStatement } from '../db/coalesced';
import { PreparedStatement } from '../db/prepared';
import type { ChildFacts } from '../policy/types';
import type { PolicyViewer } from '../policy/types';
import { CHILD_COLUMNS, type ChildRow } from './child-store';
import { PACKED_METAS, unpackMetas, type RecordMeta } from './record-store';

/** A child's own row (null when there is no such child) and the policy's facts about it. */
export interface ChildWithFacts {
  readonly row: ChildRow | null;
  readonly facts: ChildFacts;
  /** Every current record of the child, newest first, when they were asked for with the facts. */
  readonly records?: RecordMeta[];
}

/** The child's columns are all null when no child has the id. */
interface FactsRow extends Omit<ChildRow, 'id'> {
  n: number;
  id: string | null;
  child_id: string;
  consents: Array<{ id: string; recipientAgencyCodes: string[]; categories: string[]; givenAt: string; expiresAt: string | null; withdrawnAt: string | null }>;
  bases: Array<{ id: string; kind: string; recipientAgencyCodes: string[] | null; startsAt: string; endsAt: string | null; endedAt: string | null }>;
  grants: Array<{ id: string; recordId: string; agencyId: string; approvedAt: string; expiresAt: string }>;
  sessions: Array<{ id: string; viewerSub: string; startedAt: string; expiresAt: string }>;
  enquiries: string[];
  /** The agencies holding records about the child; absent when the records themselves came (their agencies say the same). */
  holders?: string[];
  metas?: string | null;
  authors?: string[] | null;
}

const factsSql = (withRecords: boolean): string =>
  `SELECT u.n::int AS n, u.id AS child_id, ${CHILD_COLUMNS},
     (SELECT coalesce(json_agg(json_build_object('id', k.id, 'recipientAgencyCodes', k.recipient_agency_codes, 'categories', k.categories,
        'givenAt', k.given_at, 'expiresAt', k.expires_at, 'withdrawnAt', k.withdrawn_at)), '[]') FROM consent k WHERE k.child_id = u.id) AS consents,
     (SELECT coalesce(json_agg(json_build_object('id', b.id, 'kind', b.kind, 'recipientAgencyCodes', b.recipient_agency_codes,
        'startsAt', b.starts_at, 'endsAt', b.ends_at, 'endedAt', b.ended_at)), '[]') FROM lawful_basis b WHERE b.child_id = u.id) AS bases,
     (SELECT coalesce(json_agg(json_build_object('id', g.id, 'recordId', g.record_id, 'agencyId', g.requester_agency_id,
        'approvedAt', g.decided_at, 'expiresAt', g.expires_at)), '[]')
        FROM access_request g WHERE g.child_id = u.id AND g.requester_agency_id = u.viewer_agency_id AND g.status = 'APPROVED') AS grants,
     (SELECT coalesce(json_agg(json_build_object('id', s.id, 'viewerSub', s.viewer_sub, 'startedAt', s.started_at, 'expiresAt', s.expires_at)), '[]')
        FROM break_glass_session s WHERE s.child_id = u.id AND s.viewer_sub = u.viewer_sub AND s.viewer_agency_id = u.viewer_agency_id) AS sessions,
     (SELECT coalesce(array_agg(e.id::text), '{}') FROM enquiry_child ec JOIN enquiry e ON e.id = ec.enquiry_id
        WHERE ec.child_id = u.id AND e.status = 'OPEN') AS enquiries,
     ${withRecords ? 'm.metas, m.authors' : `(SELECT coalesce(array_agg(DISTINCT r.agency_id::text), '{}') FROM shared_record r WHERE r.child_id = u.id) AS holders`}
   FROM unnest($1::uuid[], $2::uuid[], $3::text[]) WITH ORDINALITY AS u(id, viewer_agency_id, viewer_sub, n) LEFT JOIN child c ON c.id = u.id
   ${withRecords ? `LEFT JOIN LATERAL (SELECT ${PACKED_METAS} FROM shared_record r WHERE r.child_id = u.id) m ON true` : ''}`;
// Each child carries its viewer, so concurrent requests by different people share a statement.
const FACTS = new CoalescedStatement<FactsRow>(new PreparedStatement(factsSql(false)));
const FACTS_AND_RECORDS = new CoalescedStatement<FactsRow>(new PreparedStatement(factsSql(true)));

/**
 * Loads a whole set of children, each with the policy's facts about it, in one statement.
 * Everything for a child is loaded (not only what is active now): the policy decides what is
 * active at `now`. With `withRecords`, the same statement brings each child's record metadata,
 * saving a page of records a statement of its own.
 */
export async function loadChildrenWithFacts(
  manager: EntityManager, viewer: PolicyViewer, childIds: readonly string[], options: { withRecords?: boolean } = {},
): Promise<Map<string, ChildWithFacts>> {
  const rows = await (options.withRecords ? FACTS_AND_RECORDS : FACTS).run(manager, [childIds, childIds.map(() => viewer.agencyId), childIds.map(() => viewer.sub)]);
  const loaded = new Map<string, ChildWithFacts>();
  for (const row of rows) {
    const records = options.withRecords ? unpackMetas(row.child_id, row.metas ?? null, row.authors ?? null) : undefined;
    const facts: ChildFacts = {
      childId: row.child_id,
      consents: row.consents.map((k) => ({
        id: k.id,
        childId: row.child_id,
        recipientAgencyCodes: k.recipientAgencyCodes,
        categories: k.categories as ChildFacts['consents'][number]['categories'],
        givenAt: new Date(k.givenAt),
        expiresAt: k.expiresAt ? new Date(k.expiresAt) : null,
        withdrawnAt: k.withdrawnAt ? new Date(k.withdrawnAt) : null,
      })),
      lawfulBases: row.bases.map((b) => ({
        id: b.id,
        childId: row.child_id,
        kind: b.kind as ChildFacts['lawfulBases'][number]['kind'],
        recipientAgencyCodes: b.recipientAgencyCodes,
        startsAt: new Date(b.startsAt),
        endsAt: b.endsAt ? new Date(b.endsAt) : null,
        endedAt: b.endedAt ? new Date(b.endedAt) : null,
      })),
      grants: row.grants.map((g) => ({ ...g, approvedAt: new Date(g.approvedAt), expiresAt: new Date(g.expiresAt) })),
      breakGlass: row.sessions.map((s) => ({ ...s, childId: row.child_id, startedAt: new Date(s.startedAt), expiresAt: new Date(s.expiresAt) })),
      openEnquiryIds: row.enquiries,
      agenciesHoldingRecords: records ? [...new Set(records.map((r) => r.agencyId))].sort() : (row.holders ?? []),
    };
    const child = row.id === null ? null : childRowOf({ ...row, id: row.id });
    loaded.set(row.child_id, records ? { row: child, facts, records } : { row: child, facts });
  }
  return loaded;
}

function childRowOf(row: FactsRow & { id: string }): ChildRow {
  return {
    id: row.id,
    givenName: row.givenName,
    familyName: row.familyName,
    dateOfBirth: row.dateOfBirth,
    gender: row.gender,
    nhsNumber: row.nhsNumber,
    upn: row.upn,
    address: row.address,
    postcode: row.postcode,
    addressConfidential: row.addressConfidential,
    addressRecordedByAgencyId: row.addressRecordedByAgencyId,
    shielded: row.shielded,
    mergedIntoId: row.mergedIntoId,
    localIdentifiers: row.localIdentifiers,
  };
}
