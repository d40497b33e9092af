import type { EntityManager } from 'typeorm';
import type { DecisionOutcome, EnquiryStatus, RagRating } from './front-door-vocabulary';
import type { Enquiry } from './enquiry.types';

interface EnquiryRow {
  id: string;
  status: EnquiryStatus;
  received_at: Date;
  referral_source: string | null;
  referrer_professional: boolean | null;
  referrer_anonymous: boolean;
  referrer_name: string | null;
  referrer_role: string | null;
  referrer_contact: string | null;
  concern: string | null;
  rag_rating: RagRating | null;
  research_due_at: Date | null;
  decision_due_at: Date | null;
  previous_enquiry_id: string | null;
  referrals_in_last_12_months: number;
  created_at: Date;
  closed_at: Date | null;
  closed_by_name: string | null;
  close_reason: string | null;
  child_ids: string[];
  ratings: Array<{ rating: RagRating; reason: string; researchDueAt: string; ratedByName: string; ratedAt: string }>;
  decision: null | {
    id: string; outcome: DecisionOutcome; rationale: string; reliedOnRecordIds: string[]; decidedByName: string; decidedAt: string;
    sharing: Array<{ recipient: string; shared: boolean; what: string | null; reason: string }> | null; lawfulBasisIds: string[] | null;
  };
}

/** Enquiries with their children, ratings and decision, for any number of ids in one statement. */
export async function loadEnquiries(manager: EntityManager, ids: readonly string[], now: Date): Promise<Map<string, Enquiry>> {
  if (ids.length === 0) return new Map();
  const rows: EnquiryRow[] = await manager.query(
    `SELECT e.id, e.status, e.received_at, e.referral_source, e.referrer_professional, e.referrer_anonymous, e.referrer_name,
       e.referrer_role, e.referrer_contact, e.concern, e.rag_rating, e.research_due_at, e.decision_due_at,
       e.previous_enquiry_id, e.referrals_in_last_12_months, e.created_at, e.closed_at, e.closed_by_name, e.close_reason,
       (SELECT coalesce(array_agg(ec.child_id::text ORDER BY ec.child_id), '{}') FROM enquiry_child ec WHERE ec.enquiry_id = e.id) AS child_ids,
       (SELECT coalesce(json_agg(json_build_object('rating', r.rating, 'reason', r.reason, 'researchDueAt', r.research_due_at,
          'ratedByName', r.rated_by_name, 'ratedAt', r.rated_at) ORDER BY r.rated_at), '[]') FROM enquiry_rating r WHERE r.enquiry_id = e.id) AS ratings,
       (SELECT json_build_object('id', d.id, 'outcome', d.outcome, 'rationale', d.rationale, 'reliedOnRecordIds', d.relied_on_record_ids,
          'decidedByName', d.decided_by_name, 'decidedAt', d.decided_at,
          'sharing', (SELECT json_agg(json_build_object('recipient', s.recipient, 'shared', s.shared, 'what', s.what, 'reason', s.reason))
                      FROM decision_sharing s WHERE s.decision_id = d.id),
          'lawfulBasisIds', (SELECT array_agg(b.lawful_basis_id) FROM decision_lawful_basis b WHERE b.decision_id = d.id))
        FROM enquiry_decision d WHERE d.enquiry_id = e.id) AS decision
     FROM enquiry e WHERE e.id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, toEnquiry(row, now)]));
}

function toEnquiry(row: EnquiryRow, now: Date): Enquiry {
  const decision = row.decision;
  const decidedAt = decision ? new Date(decision.decidedAt) : null;
  return {
    id: row.id,
    status: row.status,
    receivedAt: row.received_at,
    referralSource: row.referral_source,
    referrer:
      row.referrer_professional === null
        ? null
        : {
            professional: row.referrer_professional,
            anonymous: row.referrer_anonymous,
            name: row.referrer_anonymous ? null : row.referrer_name,
            role: row.referrer_role,
            contact: row.referrer_anonymous ? null : row.referrer_contact,
          },
    concern: row.concern,
    rating: row.rag_rating,
    researchDueAt: row.research_due_at,
    decisionDueAt: row.decision_due_at,
    decisionOverdue: row.status === 'OPEN' && row.decision_due_at !== null && row.decision_due_at < now,
    // A re-referral is an enquiry with another about one of its children in the 12 months before.
    reReferral: row.referrals_in_last_12_months > 0,
    previousEnquiryId: row.previous_enquiry_id,
    referralsInLast12Months: row.referrals_in_last_12_months,
    childIds: row.child_ids,
    ratings: row.ratings.map((r) => ({ ...r, researchDueAt: new Date(r.researchDueAt), ratedAt: new Date(r.ratedAt) })),
    decision:
      decision && decidedAt
        ? {
            id: decision.id,
            outcome: decision.outcome,
            rationale: decision.rationale,
            reliedOnRecordIds: decision.reliedOnRecordIds,
            sharing: decision.sharing ?? [],
            lawfulBasisIds: decision.lawfulBasisIds ?? [],
            decidedByName: decision.decidedByName,
            decidedAt,
            withinOneWorkingDay: row.decision_due_at !== null && decidedAt <= row.decision_due_at,
          }
        : null,
    closure: row.closed_at ? { closedAt: row.closed_at, closedByName: row.closed_by_name ?? '', reason: row.close_reason ?? '' } : null,
    openedAt: row.created_at,
  };
}
