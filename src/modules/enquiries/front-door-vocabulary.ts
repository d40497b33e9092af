/** Vocabularies of the front door, shared by the migration, the GraphQL enums and the services. */
import type { ReferralSource } from '../../domain/vocabulary';

/** MASH triage. The hours each rating allows for partner research are configured per deployment. */
export const RAG_RATINGS = ['RED', 'AMBER', 'GREEN'] as const;
export type RagRating = (typeof RAG_RATINGS)[number];

/**
 * CIN census referral sources that are members of the public (1A family, 1B acquaintance,
 * 1C self, 1D other individual, 9 anonymous): the only referrers who may remain anonymous.
 */
export const PUBLIC_REFERRAL_SOURCES: readonly ReferralSource[] = ['1A', '1B', '1C', '1D', '9'];

/** What a manager decides on a contact (Working Together 2023, chapter 2 and 4). */
export const DECISION_OUTCOMES = [
  'NO_FURTHER_ACTION',
  'ADVICE_AND_SIGNPOSTING',
  'EARLY_HELP',
  'CIN_ASSESSMENT_S17',
  'STRATEGY_DISCUSSION_S47',
  'IMMEDIATE_PROTECTION',
] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** Outcomes under which a SECTION_47_ENQUIRY lawful basis may be recorded with the decision. */
export const SECTION_47_OUTCOMES: readonly DecisionOutcome[] = ['STRATEGY_DISCUSSION_S47', 'IMMEDIATE_PROTECTION'];

export const ENQUIRY_STATUSES = ['OPEN', 'DECIDED', 'CLOSED'] as const;
export type EnquiryStatus = (typeof ENQUIRY_STATUSES)[number];

/** A rationale "of substance": long enough to say what was weighed. */
export const MIN_DECISION_RATIONALE = 50;
export const MIN_REASON = 10;

/**
 * Free text written at the front door is read by MASH staff of every agency, outside the record
 * policy, so it must not carry another agency's (or one's own) RESTRICTED content: cite the
 * record by id instead, and its owner's release rules apply.
 */
export const SHARED_WITH_MASH = 'Shared with the MASH: do not paste restricted content; cite records by id instead.';
