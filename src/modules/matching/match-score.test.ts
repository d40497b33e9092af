import { decideFuzzy, MATCH_THRESHOLDS, scoreCandidate, type CandidateChild, type MatchClaim } from './match-score';

const claim: MatchClaim = { dateOfBirth: '2014-05-17', postcode: 'NT1 1AA', gender: 'FEMALE', nhsNumber: null, upn: null };
const candidate = (overrides: Partial<CandidateChild> = {}): CandidateChild => ({
  childId: 'c1', nameSimilarity: 1, dateOfBirth: '2014-05-17', postcode: 'NT1 1AA', gender: 'FEMALE', nhsNumber: null, upn: null, ...overrides,
});

describe('scored identity matching', () => {
  it.each<[string, Partial<CandidateChild>, number | null]>([
    ['same name, date of birth and postcode', {}, 100],
    ['same name and date of birth, another district', { postcode: 'ZZ9 9ZZ' }, 90],
    ['same name and date of birth, same district', { postcode: 'NT1 9ZZ' }, 95],
    ['similar name, same date of birth and postcode', { nameSimilarity: 0.67 }, 80],
    ['same name, different date of birth', { dateOfBirth: '2015-05-17' }, 40],
    ['different gender', { gender: 'MALE' }, 80],
    ['an NHS number on the candidate alone neither helps nor excludes', { nhsNumber: '9434765919' }, 100],
  ])('%s', (_name, overrides, expected) => {
    expect(scoreCandidate(claim, candidate(overrides))).toBe(expected);
  });

  it('excludes a candidate whose NHS number differs from the claim', () => {
    expect(scoreCandidate({ ...claim, nhsNumber: '9434765870' }, candidate({ nhsNumber: '9434765919' }))).toBeNull();
  });

  it('links one confident candidate with a clear lead', () => {
    expect(decideFuzzy(claim, [candidate(), candidate({ childId: 'c2', nameSimilarity: 0.3, postcode: null })])).toMatchObject({ kind: 'LINK', childId: 'c1' });
  });

  it('parks two close candidates as ambiguous', () => {
    const outcome = decideFuzzy(claim, [candidate(), candidate({ childId: 'c2', nameSimilarity: 0.9 })]);
    expect(outcome).toMatchObject({ kind: 'QUEUE', reason: 'AMBIGUOUS' });
  });

  it('parks a single weak candidate', () => {
    expect(decideFuzzy(claim, [candidate({ nameSimilarity: 0.5, postcode: null })])).toMatchObject({ kind: 'QUEUE', reason: 'WEAK' });
  });

  it('ignores candidates below the candidate threshold', () => {
    expect(decideFuzzy(claim, [candidate({ nameSimilarity: 0.3, dateOfBirth: '2010-01-01' })])).toEqual({ kind: 'NONE' });
    expect(MATCH_THRESHOLDS.candidate).toBeLessThan(MATCH_THRESHOLDS.confident);
  });
});
