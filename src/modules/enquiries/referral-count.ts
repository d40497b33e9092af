import type { EntityManager } from 'typeorm';

// Held by a transaction that links enquiries to a child, per child: see recountReferrals.
export const REFERRAL_LOCK_CLASS = 7340101;

/**
 * Counts again, for every enquiry about any of these children, the enquiries about its children
 * received in the twelve months before it (Ofsted Annex A list 3), and which was the latest. Run
 * whenever an enquiry is linked to a child: a contact recorded late, with its true earlier receipt
 * time, makes the enquiries received after it re-referrals, and a merge of duplicates brings two
 * children's histories together. Only the rows whose count or previous enquiry changes are written.
 *
 * Callers about the same child take turns (a lock per child, in id order, held to commit), so two
 * contacts recorded at once each count the other; callers about different children of the same
 * enquiry take turns on its row. In READ COMMITTED the count runs after the locks, and so sees
 * whatever the previous holder committed.
 */
export async function recountReferrals(manager: EntityManager, childIds: readonly string[]): Promise<void> {
  if (childIds.length === 0) return;
  await manager.query(
    `SELECT pg_advisory_xact_lock(${REFERRAL_LOCK_CLASS}, hashtext(id::text)) FROM unnest($1::uuid[]) AS u(id) ORDER BY id`,
    [[...childIds]],
  );
  // An enquiry about several children counts the enquiries about each of them, so a contact about
  // another of its children may be recounting it at the same time: the rows are locked first, in
  // id order, and counted by the next statement, which sees whatever the other committed.
  await manager.query(
    `SELECT e.id FROM enquiry e WHERE e.id IN (SELECT enquiry_id FROM enquiry_child WHERE child_id = ANY($1::uuid[])) ORDER BY e.id FOR NO KEY UPDATE`,
    [[...childIds]],
  );
  await manager.query(
    `WITH counted AS (
       SELECT e.id, h.count, h.latest_id
       FROM enquiry e
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS count, (array_agg(p.id ORDER BY p.received_at DESC, p.id DESC))[1] AS latest_id
         FROM enquiry p
         WHERE p.id IN (SELECT pc.enquiry_id FROM enquiry_child tc JOIN enquiry_child pc ON pc.child_id = tc.child_id WHERE tc.enquiry_id = e.id)
           AND p.received_at < e.received_at AND p.received_at >= e.received_at - interval '12 months'
       ) h
       WHERE e.id IN (SELECT enquiry_id FROM enquiry_child WHERE child_id = ANY($1::uuid[]))
     )
     UPDATE enquiry e SET referrals_in_last_12_months = c.count, previous_enquiry_id = c.latest_id
     FROM counted c
     WHERE e.id = c.id AND (e.referrals_in_last_12_months <> c.count OR e.previous_enquiry_id IS DISTINCT FROM c.latest_id)`,
    [[...childIds]],
  );
}
