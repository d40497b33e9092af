import { SECTION_47_OUTCOMES, type DecisionOutcome, type EnquiryStatus } from './front-door-vocabulary';

export interface ClosureState {
  readonly status: EnquiryStatus;
  readonly outcome: DecisionOutcome | null;
  readonly draftDiscussions: number;
  readonly finalDiscussions: number;
}

/**
 * Why an enquiry cannot be closed yet, or null when it can. Working Together 2023 asks for a
 * decision on every contact, so a contact is closed only once decided; "no further action" is
 * itself a recorded decision. When the decision was a strategy discussion (s47) or immediate
 * protection, the front door closes only once a strategy discussion has been finalised, and
 * never with a draft one left open: what the meeting agreed must be on record first.
 */
export function closureProblem(state: ClosureState): string | null {
  if (state.status === 'CLOSED') return 'this enquiry is already closed';
  if (state.status === 'OPEN' || state.outcome === null) {
    return 'record the decision first (no further action is a decision too): an enquiry is closed only once decided';
  }
  if (state.draftDiscussions > 0) return 'finalise the draft strategy discussion before closing';
  if (SECTION_47_OUTCOMES.includes(state.outcome) && state.finalDiscussions === 0) {
    return 'a decision for a strategy discussion or immediate protection is closed only once a strategy discussion is finalised';
  }
  return null;
}
