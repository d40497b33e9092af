import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Break-glass findings are now recorded per agency: each notified agency's on its notification,
 * and the front door's (a social care manager's) on the session. Before, whoever reviewed first
 * wrote the session's finding too, and that closed the session for every agency.
 *
 * A session finding that was another agency's is moved off the session: the notification of a
 * non-social-care agency carries the same reviewer and time, as that review wrote both. The
 * session then awaits the front door's review, and each notified agency that has not reviewed
 * it sees it in its pending list: the reads it allowed of those agencies' records were never
 * reviewed by them. The findings themselves are kept, on the notifications that recorded them.
 * Sessions stay ended.
 */
export class BreakGlassAgencyReviews1732252100000 implements MigrationInterface {
  name = 'BreakGlassAgencyReviews1732252100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE break_glass_session s SET reviewed_by_sub = NULL, reviewed_at = NULL, review_outcome = NULL, review_note = NULL
      WHERE s.reviewed_at IS NOT NULL AND EXISTS (
        SELECT 1 FROM break_glass_notification n JOIN agency a ON a.id = n.agency_id
        WHERE n.session_id = s.id AND a.kind <> 'SOCIAL_CARE' AND n.reviewed_at = s.reviewed_at AND n.reviewed_by_sub = s.reviewed_by_sub)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // The first finding recorded becomes the session's again, as the earlier rule had it.
    await q.query(`
      UPDATE break_glass_session s SET reviewed_by_sub = f.reviewed_by_sub, reviewed_at = f.reviewed_at, review_outcome = f.review_outcome, review_note = f.review_note
      FROM (SELECT DISTINCT ON (n.session_id) n.session_id, n.reviewed_by_sub, n.reviewed_at, n.review_outcome, n.review_note
            FROM break_glass_notification n WHERE n.reviewed_at IS NOT NULL ORDER BY n.session_id, n.reviewed_at, n.id) f
      WHERE s.id = f.session_id AND s.reviewed_at IS NULL`);
  }
}
