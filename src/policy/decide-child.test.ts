/**
 * decideChild as a table: what of a child's own details a viewer sees (DESIGN.md section 3:
 * "a shielded child shows only name, age and gender without a ground"; a confidential address
 * never leaves the recording agency and social care managers).
 */
import { decideChild } from './decide';
import { basis, child, consent, facts, HEALTH, NOW, OTHER_CHILD_ID, POLICE, session, SCHOOL, SOCIAL_CARE, viewer } from './test-support/builders';
import { MissingFactError } from './types';
import type { ChildDecision, ChildFacts, PolicyChild, PolicyViewer } from './types';

interface Row {
  readonly name: string;
  readonly viewer: PolicyViewer;
  readonly child: PolicyChild;
  readonly facts: ChildFacts;
  readonly view: ChildDecision['view'];
  readonly address: boolean;
  readonly grounds: readonly string[];
  readonly mayKnowRecordsExist: boolean;
}

const nurse = viewer(HEALTH, ['PRACTITIONER']);
const plain = child();
const shielded = child({ shielded: true });
const refuge = child({ addressConfidential: true, addressRecordedByAgencyId: HEALTH.id });
const healthHolds = facts({ agenciesHoldingRecords: [HEALTH.id] });
const policeHolds = facts({ agenciesHoldingRecords: [POLICE.id] });
const forEveryPartner = facts({ lawfulBases: [basis()] });
const enquiryOnly = facts({ openEnquiryIds: ['enquiry-1'] });

const rows: readonly Row[] = [
  // Reading roles
  { name: 'practitioner without a ground sees an unshielded child but not the address', viewer: nurse, child: plain, facts: policeHolds, view: 'FULL', address: false, grounds: [], mayKnowRecordsExist: false },
  { name: 'practitioner whose agency holds records sees the address', viewer: nurse, child: plain, facts: healthHolds, view: 'FULL', address: true, grounds: ['OWNER:agency-nhs'], mayKnowRecordsExist: true },
  { name: 'practitioner with consent naming the agency sees the address', viewer: nurse, child: plain, facts: facts({ consents: [consent({ categories: ['MENTAL_HEALTH'] })] }), view: 'FULL', address: true, grounds: ['CONSENT:consent-1'], mayKnowRecordsExist: true },
  { name: 'expired consent is no ground', viewer: nurse, child: plain, facts: facts({ consents: [consent({ expiresAt: NOW })] }), view: 'FULL', address: false, grounds: [], mayKnowRecordsExist: false },
  { name: 'shielded child without a ground: name, age and gender only', viewer: nurse, child: shielded, facts: policeHolds, view: 'NAME_AGE_GENDER', address: false, grounds: [], mayKnowRecordsExist: false },
  { name: 'shielded child with a lawful basis: full details', viewer: nurse, child: shielded, facts: forEveryPartner, view: 'FULL', address: true, grounds: ['LAWFUL_BASIS:basis-1'], mayKnowRecordsExist: true },
  { name: 'shielded child with own break-glass: full details', viewer: nurse, child: shielded, facts: facts({ breakGlass: [session()] }), view: 'FULL', address: true, grounds: ['BREAK_GLASS:session-1'], mayKnowRecordsExist: true },
  { name: 'shielded child, MASH researcher with an open enquiry: details, no address', viewer: viewer(SOCIAL_CARE, ['MASH_RESEARCHER']), child: shielded, facts: enquiryOnly, view: 'FULL', address: false, grounds: [], mayKnowRecordsExist: true },
  { name: 'shielded child, practitioner with an open enquiry: name, age and gender only', viewer: viewer(SOCIAL_CARE, ['PRACTITIONER']), child: shielded, facts: enquiryOnly, view: 'NAME_AGE_GENDER', address: false, grounds: [], mayKnowRecordsExist: false },
  // Confidential (refuge) address
  { name: 'refuge address: the recording agency sees it', viewer: nurse, child: refuge, facts: healthHolds, view: 'FULL', address: true, grounds: ['OWNER:agency-nhs'], mayKnowRecordsExist: true },
  { name: 'refuge address: another agency with a basis does not', viewer: viewer(SCHOOL, ['PRACTITIONER']), child: refuge, facts: forEveryPartner, view: 'FULL', address: false, grounds: ['LAWFUL_BASIS:basis-1'], mayKnowRecordsExist: true },
  { name: 'refuge address: a social care manager with a basis sees it', viewer: viewer(SOCIAL_CARE, ['MANAGER']), child: refuge, facts: forEveryPartner, view: 'FULL', address: true, grounds: ['LAWFUL_BASIS:basis-1'], mayKnowRecordsExist: true },
  { name: 'refuge address: a social care manager with only an open enquiry does not', viewer: viewer(SOCIAL_CARE, ['MANAGER']), child: refuge, facts: enquiryOnly, view: 'FULL', address: false, grounds: [], mayKnowRecordsExist: true },
  { name: 'refuge address: a social care practitioner with a basis does not', viewer: viewer(SOCIAL_CARE, ['PRACTITIONER']), child: refuge, facts: forEveryPartner, view: 'FULL', address: false, grounds: ['LAWFUL_BASIS:basis-1'], mayKnowRecordsExist: true },
  { name: 'refuge address: a police manager under break-glass does not', viewer: viewer(POLICE, ['MANAGER']), child: refuge, facts: facts({ breakGlass: [session()] }), view: 'FULL', address: false, grounds: ['BREAK_GLASS:session-1'], mayKnowRecordsExist: true },
  { name: 'refuge address: a social care manager under break-glass sees it', viewer: viewer(SOCIAL_CARE, ['MANAGER']), child: refuge, facts: facts({ breakGlass: [session()] }), view: 'FULL', address: true, grounds: ['BREAK_GLASS:session-1'], mayKnowRecordsExist: true },
  { name: 'refuge address recorded by no agency: only social care managers', viewer: nurse, child: child({ addressConfidential: true }), facts: healthHolds, view: 'FULL', address: false, grounds: ['OWNER:agency-nhs'], mayKnowRecordsExist: true },
  // DPO
  { name: 'DPO sees an unshielded child’s details but never the address', viewer: viewer(HEALTH, ['DPO']), child: plain, facts: healthHolds, view: 'FULL', address: false, grounds: [], mayKnowRecordsExist: false },
  { name: 'DPO sees a shielded child as name, age and gender', viewer: viewer(HEALTH, ['DPO']), child: shielded, facts: forEveryPartner, view: 'NAME_AGE_GENDER', address: false, grounds: [], mayKnowRecordsExist: false },
  { name: 'DPO holds no ground even where a consent names the agency', viewer: viewer(HEALTH, ['DPO']), child: refuge, facts: facts({ consents: [consent()] }), view: 'FULL', address: false, grounds: [], mayKnowRecordsExist: false },
  // INTEGRATION
  { name: 'INTEGRATION sees a child its agency holds records about, without address', viewer: viewer(HEALTH, ['INTEGRATION']), child: shielded, facts: healthHolds, view: 'FULL', address: false, grounds: ['OWNER:agency-nhs'], mayKnowRecordsExist: true },
  { name: 'INTEGRATION does not see a child only others hold records about', viewer: viewer(HEALTH, ['INTEGRATION']), child: plain, facts: facts({ agenciesHoldingRecords: [POLICE.id], consents: [consent()] }), view: 'HIDDEN', address: false, grounds: [], mayKnowRecordsExist: false },
  { name: 'INTEGRATION and DPO together: the DPO view where the agency holds nothing', viewer: viewer(HEALTH, ['INTEGRATION', 'DPO']), child: plain, facts: policeHolds, view: 'FULL', address: false, grounds: [], mayKnowRecordsExist: false },
  // ADMIN and no role
  { name: 'ADMIN sees nothing of a child', viewer: viewer(SOCIAL_CARE, ['ADMIN']), child: plain, facts: forEveryPartner, view: 'HIDDEN', address: false, grounds: [], mayKnowRecordsExist: false },
  { name: 'a viewer with no roles sees nothing of a child', viewer: viewer(HEALTH, []), child: plain, facts: healthHolds, view: 'HIDDEN', address: false, grounds: [], mayKnowRecordsExist: false },
  { name: 'ADMIN who is also DPO gets the DPO view', viewer: viewer(SOCIAL_CARE, ['ADMIN', 'DPO']), child: shielded, facts: forEveryPartner, view: 'NAME_AGE_GENDER', address: false, grounds: [], mayKnowRecordsExist: false },
];

describe('decideChild', () => {
  it.each(rows)('$name', (row) => {
    const decision = decideChild(row.viewer, row.child, row.facts, NOW);
    expect(decision.view).toBe(row.view);
    expect(decision.address).toBe(row.address);
    expect(decision.grounds.map((g) => `${g.kind}:${g.id}`)).toEqual(row.grounds);
    expect(decision.mayKnowRecordsExist).toBe(row.mayKnowRecordsExist);
    expect(decision.reason).toMatch(/\w/);
  });

  const missing: readonly [string, ChildFacts | null | undefined, Date][] = [
    ['facts undefined', undefined, NOW],
    ['facts null', null, NOW],
    ['facts for another child', facts({ childId: OTHER_CHILD_ID }), NOW],
    ['an invalid date for now', healthHolds, new Date(Number.NaN)],
  ];
  it.each(missing)('throws MissingFactError for %s', (_name, f, now) => {
    expect(() => decideChild(nurse, plain, f, now)).toThrow(MissingFactError);
  });
});
