import { closureProblem, type ClosureState } from './closure-rules';

const state = (over: Partial<ClosureState>): ClosureState => ({ status: 'DECIDED', outcome: 'NO_FURTHER_ACTION', draftDiscussions: 0, finalDiscussions: 0, ...over });

describe('when an enquiry may be closed', () => {
  it.each<[string, Partial<ClosureState>, RegExp | null]>([
    ['decided: no further action', {}, null],
    ['decided: early help', { outcome: 'EARLY_HELP' }, null],
    ['still open, no decision', { status: 'OPEN', outcome: null }, /record the decision first/],
    ['already closed', { status: 'CLOSED' }, /already closed/],
    ['s47 decision, no strategy discussion yet', { outcome: 'STRATEGY_DISCUSSION_S47' }, /strategy discussion is finalised/],
    ['s47 decision, discussion finalised', { outcome: 'STRATEGY_DISCUSSION_S47', finalDiscussions: 1 }, null],
    ['immediate protection, discussion finalised', { outcome: 'IMMEDIATE_PROTECTION', finalDiscussions: 1 }, null],
    ['a draft discussion left open', { outcome: 'CIN_ASSESSMENT_S17', draftDiscussions: 1, finalDiscussions: 1 }, /finalise the draft/],
  ])('%s', (_name, over, expected) => {
    const problem = closureProblem(state(over));
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
