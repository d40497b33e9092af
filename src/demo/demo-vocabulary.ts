import type { AgencyKind, RecordCategory } from '../domain/vocabulary';

/** The fictional county of Northshire. */
export const DEMO_AGENCIES: ReadonlyArray<{ code: string; name: string; kind: AgencyKind }> = [
  { code: 'NPOL', name: 'Northshire Police', kind: 'POLICE' },
  { code: 'NHEALTH', name: 'Northshire Community Health NHS Trust', kind: 'HEALTH' },
  { code: 'NSCHOOL', name: 'Northshire Schools and Education Service', kind: 'EDUCATION' },
  { code: 'NCSC', name: "Northshire Children's Social Care", kind: 'SOCIAL_CARE' },
  { code: 'NPROB', name: 'Northshire Probation Delivery Unit', kind: 'PROBATION' },
  { code: 'NHOUSE', name: 'Northshire Housing Options', kind: 'HOUSING' },
];

export const GIVEN_NAMES = ['Amara', 'Ben', 'Chloe', 'Daniel', 'Ella', 'Finley', 'Grace', 'Harvey', 'Isla', 'Jacob', 'Kaya', 'Leo', 'Maya', 'Noah', 'Olivia', 'Priya', 'Reuben', 'Sofia', 'Tomas', 'Zara'];
export const FAMILY_NAMES = ['Ashdown', 'Brackley', 'Culver', 'Dunmore', 'Elsworth', 'Fenwick', 'Garside', 'Holloway', 'Iveson', 'Kettering', 'Lindqvist', 'Marrow', 'Okafor', 'Penhale', 'Quayle', 'Rushworth', 'Sandhu', 'Thackeray', 'Underwood', 'Whitlock'];
export const STREETS = ['Alder Road', 'Beacon Lane', 'Chapel Row', 'Dovecote Way', 'Elm Close', 'Foundry Street', 'Gorse Hill', 'Heron Walk'];

export const RECORD_TEMPLATES: ReadonlyArray<{ kind: AgencyKind; category: RecordCategory; summary: string; detail: string; factors: string[] }> = [
  { kind: 'POLICE', category: 'DOMESTIC_ABUSE', summary: 'Police attended a domestic incident; child present', detail: 'Officers attended a verbal and physical argument between adults; the child was in the home.', factors: ['3B'] },
  { kind: 'POLICE', category: 'MISSING_EPISODE', summary: 'Reported missing overnight; found safe next day', detail: 'Missing person report; return interview offered.', factors: ['10A'] },
  { kind: 'POLICE', category: 'POLICE_INCIDENT', summary: 'Anti-social behaviour report naming the child', detail: 'Group reported for anti-social behaviour near the shopping parade.', factors: ['14A'] },
  { kind: 'POLICE', category: 'EXPLOITATION', summary: 'Intelligence suggests contact with older males', detail: 'Sanitised intelligence: concern of criminal exploitation.', factors: ['24A'] },
  { kind: 'HEALTH', category: 'EMERGENCY_ATTENDANCE', summary: 'A&E attendance with an unexplained injury', detail: 'Bruising to the upper arm; explanation inconsistent with the injury.', factors: ['18C'] },
  { kind: 'HEALTH', category: 'HEALTH_CONTACT', summary: 'Missed health visitor appointments (3)', detail: 'Three consecutive appointments not attended; no contact made.', factors: ['16A'] },
  { kind: 'HEALTH', category: 'MENTAL_HEALTH', summary: 'Referral to CAMHS for low mood', detail: 'GP referral following disclosure of low mood and self-harm thoughts.', factors: ['4A', '15A'] },
  { kind: 'HEALTH', category: 'SUBSTANCE_MISUSE', summary: 'Young person disclosed cannabis use', detail: 'Disclosure at school nurse drop-in; advice given.', factors: ['2A'] },
  { kind: 'EDUCATION', category: 'ATTENDANCE', summary: 'Attendance below 80% this term', detail: 'Persistent absence; letters sent to parents.', factors: [] },
  { kind: 'EDUCATION', category: 'EDUCATION_CONCERN', summary: 'Child arrived hungry and in unwashed clothes', detail: 'Designated safeguarding lead recorded repeated concerns about presentation.', factors: ['16A'] },
  { kind: 'EDUCATION', category: 'EXCLUSION', summary: 'Fixed-term suspension for fighting', detail: 'Two-day suspension; reintegration meeting held.', factors: ['14A'] },
  { kind: 'SOCIAL_CARE', category: 'SOCIAL_CARE_INVOLVEMENT', summary: 'Early help assessment completed', detail: 'Family support plan agreed with the family.', factors: ['21'] },
  { kind: 'SOCIAL_CARE', category: 'CHILD_PROTECTION', summary: 'Child protection plan (neglect) in place', detail: 'Initial child protection conference: plan under the category of neglect.', factors: ['16A'] },
  { kind: 'HOUSING', category: 'HOUSING', summary: 'Family placed in temporary accommodation', detail: 'Homelessness duty accepted; placed in temporary accommodation.', factors: [] },
  { kind: 'PROBATION', category: 'OTHER', summary: 'Adult in household under probation supervision', detail: 'Household member subject to a community order.', factors: ['3B'] },
];
