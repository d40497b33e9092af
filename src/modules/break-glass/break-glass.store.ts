import type { EntityManager } from 'typeorm';
import type { AgencyKind } from '../../domain/vocabulary';
import { inForce } from '../../policy/in-force';
import { microsSql } from '../../access/time-keyset';
import type { BreakGlassOutcome, BreakGlassSession } from './break-glass.types';

interface AgencyJson { id: string; code: string; name: string; kind: AgencyKind }

/** One notification as json_build_object gives it: times as ISO texts. */
interface NoticeJson {
  agency: AgencyJson;
  notified_at: string;
  reviewed_at: string | null;
  reviewed_by_sub: string | null;
  review_outcome: BreakGlassOutcome | null;
  review_note: string | null;
}

export interface BreakGlassRow {
  id: string;
  child_id: string;
  viewer_sub: string;
  viewer_name: string;
  viewer_agency: AgencyJson;
  reason: string;
  started_at: Date;
  expires_at: Date;
  reviewed_at: Date | null;
  reviewed_by_sub: string | null;
  review_outcome: BreakGlassOutcome | null;
  review_note: string | null;
  notified: NoticeJson[];
  /** started_at in microseconds since the epoch: an exact keyset cursor. */
  started_us: string;
}

export const SELECT_SESSION = `
  SELECT s.id, s.child_id, s.viewer_sub, s.viewer_name, s.reason, s.started_at, s.expires_at, s.reviewed_at, s.reviewed_by_sub,
    s.review_outcome, s.review_note, ${microsSql('s.started_at')} AS started_us,
    json_build_object('id', v.id, 'code', v.code, 'name', v.name, 'kind', v.kind) AS viewer_agency,
    (SELECT coalesce(json_agg(json_build_object(
         'agency', json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'kind', a.kind), 'notified_at', n.created_at,
         'reviewed_at', n.reviewed_at, 'reviewed_by_sub', n.reviewed_by_sub, 'review_outcome', n.review_outcome, 'review_note', n.review_note
       ) ORDER BY a.code), '[]')
       FROM break_glass_notification n JOIN agency a ON a.id = n.agency_id WHERE n.session_id = s.id) AS notified
  FROM break_glass_session s JOIN agency v ON v.id = s.viewer_agency_id`;

export async function sessionById(manager: EntityManager, id: string): Promise<BreakGlassRow | null> {
  const rows: BreakGlassRow[] = await manager.query(`${SELECT_SESSION} WHERE s.id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * The session as its reader may see it: `readsFinding` says whose agency findings they read in full
 * (policy mayReadBreakGlassFinding); of the others they see only outcome and time.
 */
export function toBreakGlassSession(row: BreakGlassRow, now: Date, readsFinding: (agencyId: string) => boolean): BreakGlassSession {
  return {
    id: row.id,
    childId: row.child_id,
    viewerSub: row.viewer_sub,
    viewerName: row.viewer_name,
    viewerAgency: row.viewer_agency,
    reason: row.reason,
    startedAt: row.started_at,
    expiresAt: row.expires_at,
    active: inForce(now, row.started_at, row.expires_at),
    notifiedAgencies: row.notified.map((n) => n.agency),
    agencyReviews: row.notified.map((n) => {
      const full = readsFinding(n.agency.id);
      return {
        agency: n.agency,
        notifiedAt: new Date(n.notified_at),
        reviewedAt: n.reviewed_at === null ? null : new Date(n.reviewed_at),
        reviewedBySub: full ? n.reviewed_by_sub : null,
        reviewOutcome: n.review_outcome,
        reviewNote: full ? n.review_note : null,
      };
    }),
    reviewedAt: row.reviewed_at,
    reviewedBySub: row.reviewed_by_sub,
    reviewOutcome: row.review_outcome,
    reviewNote: row.review_note,
  };
}
