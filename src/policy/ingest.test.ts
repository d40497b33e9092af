/** Who may submit records, work the match queue, merge children, and file a record on an existing child, as tables. */
import { decideChild } from './decide';
import { linksWithoutChildDecision, matchCandidateView, mayCreateChildren, mayLinkRecordToChild, mayMergeChildren, maySubmitRecords, mayWorkMatchQueue, parkedItemView } from './ingest';
import type { Role } from '../domain/vocabulary';
import { basis, child, consent, facts, HEALTH, NOW, POLICE, SOCIAL_CARE, viewer } from './test-support/builders';
import type { ChildDecision, ChildFacts, PolicyChild, PolicyViewer } from './types';

interface Row {
  readonly name: string;
  readonly viewer: PolicyViewer;
  readonly submit: boolean;
  readonly queue: boolean;
  readonly merge: boolean;
}

const rows: readonly Row[] = [
  { name: 'police integration script', viewer: viewer(POLICE, ['INTEGRATION']), submit: true, queue: false, merge: false },
  { name: 'health practitioner', viewer: viewer(HEALTH, ['PRACTITIONER']), submit: true, queue: false, merge: false },
  { name: 'MASH researcher', viewer: viewer(SOCIAL_CARE, ['MASH_RESEARCHER']), submit: true, queue: true, merge: false },
  { name: 'police manager (not front-door staff)', viewer: viewer(POLICE, ['MANAGER']), submit: true, queue: false, merge: false },
  { name: 'health manager (not front-door staff)', viewer: viewer(HEALTH, ['MANAGER']), submit: true, queue: false, merge: false },
  { name: 'social care manager', viewer: viewer(SOCIAL_CARE, ['MANAGER']), submit: true, queue: true, merge: true },
  { name: 'data protection officer', viewer: viewer(SOCIAL_CARE, ['DPO']), submit: false, queue: false, merge: false },
  { name: 'administrator', viewer: viewer(SOCIAL_CARE, ['ADMIN']), submit: false, queue: false, merge: false },
  { name: 'administrator who is also a practitioner', viewer: viewer(HEALTH, ['ADMIN', 'PRACTITIONER']), submit: true, queue: false, merge: false },
];

describe('ingest policy', () => {
  it.each(rows)('$name', (row) => {
    expect(maySubmitRecords(row.viewer)).toBe(row.submit);
    expect(mayWorkMatchQueue(row.viewer)).toBe(row.queue);
    expect(mayMergeChildren(row.viewer)).toBe(row.merge);
  });
});

interface LinkRow {
  readonly name: string;
  readonly viewer: PolicyViewer;
  readonly child: PolicyChild;
  readonly facts: ChildFacts;
  readonly link: boolean;
}

const shielded = child({ shielded: true });
const linkRows: readonly LinkRow[] = [
  { name: 'integration feed, shielded child it holds nothing about', viewer: viewer(POLICE, ['INTEGRATION']), child: shielded, facts: facts(), link: true },
  { name: 'practitioner, child not shielded', viewer: viewer(POLICE, ['PRACTITIONER']), child: child(), facts: facts(), link: true },
  { name: 'practitioner, shielded child and no ground', viewer: viewer(POLICE, ['PRACTITIONER']), child: shielded, facts: facts(), link: false },
  { name: 'practitioner, shielded child, consent names their agency', viewer: viewer(HEALTH, ['PRACTITIONER']), child: shielded, facts: facts({ consents: [consent()] }), link: true },
  { name: 'practitioner, shielded child, basis names another agency', viewer: viewer(HEALTH, ['PRACTITIONER']), child: shielded, facts: facts({ lawfulBases: [basis({ recipientAgencyCodes: [POLICE.code] })] }), link: false },
  { name: 'practitioner, shielded child their agency already holds records about', viewer: viewer(POLICE, ['PRACTITIONER']), child: shielded, facts: facts({ agenciesHoldingRecords: [POLICE.id] }), link: true },
  { name: 'MASH researcher, shielded child and no enquiry', viewer: viewer(SOCIAL_CARE, ['MASH_RESEARCHER']), child: shielded, facts: facts(), link: false },
  { name: 'MASH researcher, shielded child with an open enquiry', viewer: viewer(SOCIAL_CARE, ['MASH_RESEARCHER']), child: shielded, facts: facts({ openEnquiryIds: ['enquiry-1'] }), link: true },
  { name: 'police manager, shielded child and no ground', viewer: viewer(POLICE, ['MANAGER']), child: shielded, facts: facts(), link: false },
  { name: 'DPO, child not shielded', viewer: viewer(SOCIAL_CARE, ['DPO']), child: child(), facts: facts(), link: false },
];

describe('filing a record on an existing child', () => {
  it.each(linkRows)('$name', (row) => {
    expect(mayLinkRecordToChild(row.viewer, decideChild(row.viewer, row.child, row.facts, NOW))).toBe(row.link);
  });
});

describe('linksWithoutChildDecision', () => {
  const withRoles = (roles: Role[]): PolicyViewer => ({ sub: 's', agencyId: 'a', agencyCode: 'NPOL', agencyKind: 'POLICE', roles });
  it.each<[Role[], boolean]>([
    [['INTEGRATION'], true],
    [['INTEGRATION', 'PRACTITIONER'], false],
    [['PRACTITIONER'], false],
    [['MASH_RESEARCHER'], false],
  ])('%j -> %s', (roles, expected) => {
    expect(linksWithoutChildDecision(withRoles(roles))).toBe(expected);
  });
});

describe('matchCandidateView', () => {
  const decision = (view: 'FULL' | 'NAME_AGE_GENDER' | 'HIDDEN'): ChildDecision => ({ view, address: false, grounds: [], mayKnowRecordsExist: view === 'FULL', reason: 'test' });
  it.each<[string, ChildDecision | null, string]>([
    ['no such child', null, 'OMIT'],
    ['a child the caller may not see', decision('HIDDEN'), 'OMIT'],
    ['a shielded child seen by name, age and gender only', decision('NAME_AGE_GENDER'), 'WITHOUT_SCORE'],
    ['a child seen in full', decision('FULL'), 'WITH_SCORE'],
  ])('%s -> %s', (_name, child, expected) => {
    expect(matchCandidateView(child)).toBe(expected);
  });
});

describe('parkedItemView', () => {
  const fromHealth = (addressConfidential: boolean) => ({ agencyId: HEALTH.id, addressConfidential });
  it.each<[string, PolicyViewer, boolean, { sourceRef: boolean; postcode: boolean }]>([
    ['police MASH researcher, ordinary address', viewer(POLICE, ['MASH_RESEARCHER']), false, { sourceRef: false, postcode: true }],
    ['police MASH researcher, refuge address', viewer(POLICE, ['MASH_RESEARCHER']), true, { sourceRef: false, postcode: false }],
    ['social care MASH researcher, refuge address', viewer(SOCIAL_CARE, ['MASH_RESEARCHER']), true, { sourceRef: false, postcode: false }],
    ['social care manager, refuge address', viewer(SOCIAL_CARE, ['MANAGER']), true, { sourceRef: false, postcode: true }],
    ['the submitting agency\'s MASH researcher, refuge address', viewer(HEALTH, ['MASH_RESEARCHER']), true, { sourceRef: true, postcode: true }],
  ])('%s', (_name, who, confidential, expected) => {
    expect(parkedItemView(who, fromHealth(confidential))).toEqual(expected);
  });
});

describe('mayCreateChildren', () => {
  it.each<[string, PolicyViewer, boolean]>([
    ['an integration feed (the agency\'s system of record)', viewer(POLICE, ['INTEGRATION']), true],
    ['a practitioner', viewer(POLICE, ['PRACTITIONER']), false],
    ['a MASH researcher (who resolves the queue instead)', viewer(SOCIAL_CARE, ['MASH_RESEARCHER']), false],
    ['an integration account that is also a practitioner', viewer(HEALTH, ['INTEGRATION', 'PRACTITIONER']), false],
  ])('%s -> %s', (_name, who, expected) => {
    expect(mayCreateChildren(who)).toBe(expected);
  });
});
