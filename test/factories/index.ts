import { createHash, randomUUID } from 'node:crypto';
import type { AgencyKind, ConsentGiver, Gender, LawfulBasisKind, RecordCategory, Sensitivity } from '../../src/domain/vocabulary';
import { makeUpn, nhsCheckDigit } from '../../src/domain/identifiers';
import type { Hub } from '../support/harness';

/**
 * Test factories: valid rows with overrides, written straight to the test database so a test
 * can set up any scenario. Reads in tests always go through the API.
 */

let serial = 0;
const next = (): number => ++serial;

export interface AgencyRow { id: string; code: string; name: string; kind: AgencyKind }

export async function createAgency(hub: Hub, overrides: Partial<Omit<AgencyRow, 'id'>> = {}): Promise<AgencyRow> {
  const n = next();
  const code = overrides.code ?? `AG${n}`;
  const [row] = await hub.sql<AgencyRow>(
    `INSERT INTO agency (code, name, kind) VALUES ($1, $2, $3) RETURNING id, code, name, kind`,
    [code, overrides.name ?? `Agency ${code}`, overrides.kind ?? 'OTHER'],
  );
  return row;
}

/** The four agencies of a typical front door, by role. */
export type County = Record<'police' | 'health' | 'school' | 'social', AgencyRow>;

/** The four agencies of a typical front door. */
export async function createCounty(hub: Hub): Promise<County> {
  return {
    police: await createAgency(hub, { code: 'NPOL', name: 'Northshire Police', kind: 'POLICE' }),
    health: await createAgency(hub, { code: 'NHEALTH', name: 'Northshire Health Trust', kind: 'HEALTH' }),
    school: await createAgency(hub, { code: 'NSCHOOL', name: 'Northshire Schools', kind: 'EDUCATION' }),
    social: await createAgency(hub, { code: 'NCSC', name: "Northshire Children's Social Care", kind: 'SOCIAL_CARE' }),
  };
}

/** A valid NHS number made from a serial (skipping the few whose check digit would be 10). */
export function nhsNumberFor(seed: number): string {
  for (let s = seed; ; s += 1) {
    const nine = String(400000000 + (s % 500000000)).padStart(9, '0');
    const check = nhsCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}

export function upnFor(seed: number): string {
  return makeUpn(`881${String(2000 + (seed % 8000)).padStart(4, '0')}15${String(seed % 1000).padStart(3, '0')}`);
}

export interface ChildRowFactory {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  gender: Gender;
  nhsNumber: string | null;
  upn: string | null;
  address: string | null;
  postcode: string | null;
  addressConfidential: boolean;
  addressRecordedByAgencyId: string | null;
  shielded: boolean;
}

export async function createChild(hub: Hub, overrides: Partial<ChildRowFactory> = {}): Promise<ChildRowFactory> {
  const n = next();
  const child: ChildRowFactory = {
    id: randomUUID(),
    givenName: `Given${n}`,
    familyName: `Family${n}`,
    dateOfBirth: '2014-05-17',
    gender: 'FEMALE',
    nhsNumber: nhsNumberFor(n * 7919),
    upn: null,
    address: `${n} Test Street, Northtown`,
    postcode: 'NT1 1AA',
    addressConfidential: false,
    addressRecordedByAgencyId: null,
    shielded: false,
    ...overrides,
  };
  await hub.sql(
    `INSERT INTO child (id, given_name, family_name, date_of_birth, gender, nhs_number, upn, address, postcode,
       address_confidential, address_recorded_by_agency_id, shielded)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [child.id, child.givenName, child.familyName, child.dateOfBirth, child.gender, child.nhsNumber, child.upn, child.address,
      child.postcode, child.addressConfidential, child.addressRecordedByAgencyId, child.shielded],
  );
  return child;
}

export interface RecordFactory {
  id: string;
  agencyId: string;
  childId: string;
  sourceRef: string;
  category: RecordCategory;
  sensitivity: Sensitivity;
  occurredAt: Date;
  summary: string;
  detail: string | null;
  authorSub: string;
}

export async function createRecord(
  hub: Hub,
  required: { agencyId: string; childId: string },
  overrides: Partial<Omit<RecordFactory, 'agencyId' | 'childId'>> = {},
): Promise<RecordFactory> {
  const n = next();
  const record: RecordFactory = {
    id: randomUUID(),
    sourceRef: `REF-${n}`,
    category: 'POLICE_INCIDENT',
    sensitivity: 'STANDARD',
    occurredAt: new Date(Date.UTC(2025, 0, 1) + n * 3600_000),
    summary: `Summary of record ${n}`,
    detail: `Detail of record ${n}`,
    authorSub: 'author-sub',
    ...required,
    ...overrides,
  };
  await createRecords(hub, [record]);
  return record;
}

/** Inserts many records in two statements. */
export async function createRecords(hub: Hub, records: readonly RecordFactory[]): Promise<void> {
  if (records.length === 0) return;
  await hub.sql(
    `INSERT INTO shared_record (id, agency_id, source_ref, child_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[])`,
    [records.map((r) => r.id), records.map((r) => r.agencyId), records.map((r) => r.sourceRef), records.map((r) => r.childId)],
  );
  await hub.sql(
    `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, detail, content_hash, author_sub)
     SELECT id, 1, category, sensitivity, occurred_at, summary, detail, hash, author
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS t(id, category, sensitivity, occurred_at, summary, detail, hash, author)`,
    [
      records.map((r) => r.id),
      records.map((r) => r.category),
      records.map((r) => r.sensitivity),
      records.map((r) => r.occurredAt.toISOString()),
      records.map((r) => r.summary),
      records.map((r) => r.detail),
      records.map((r) => createHash('sha256').update(`${r.summary}|${r.detail}`).digest('hex')),
      records.map((r) => r.authorSub),
    ],
  );
}

export async function createConsent(
  hub: Hub,
  required: { childId: string; recordedByAgencyId: string; recipientAgencyCodes: string[] },
  overrides: { categories?: RecordCategory[]; givenAt?: Date; expiresAt?: Date | null; withdrawnAt?: Date | null; givenBy?: ConsentGiver } = {},
): Promise<{ id: string }> {
  const [row] = await hub.sql<{ id: string }>(
    `INSERT INTO consent (child_id, given_by, given_by_name, recipient_agency_codes, categories, purpose, given_at, expires_at, evidence,
       recorded_by_sub, recorded_by_agency_id, withdrawn_at, withdrawal_reason)
     VALUES ($1, $2, 'Parent Name', $3, $4, 'Early help assessment', $5, $6, 'Signed form', 'recorder', $7, $8, $9) RETURNING id`,
    [required.childId, overrides.givenBy ?? 'PARENT', required.recipientAgencyCodes, overrides.categories ?? [],
      overrides.givenAt ?? new Date(Date.now() - 86400_000), overrides.expiresAt ?? null, required.recordedByAgencyId,
      overrides.withdrawnAt ?? null, overrides.withdrawnAt ? 'Parent withdrew consent' : null],
  );
  return row;
}

export async function createLawfulBasis(
  hub: Hub,
  required: { childId: string; recordedByAgencyId: string },
  overrides: { kind?: LawfulBasisKind; recipientAgencyCodes?: string[] | null; startsAt?: Date; endsAt?: Date | null; endedAt?: Date | null } = {},
): Promise<{ id: string }> {
  const [row] = await hub.sql<{ id: string }>(
    `INSERT INTO lawful_basis (child_id, kind, recipient_agency_codes, starts_at, ends_at, rationale, authorised_by_sub,
       authorised_by_name, recorded_by_agency_id, ended_at, end_reason)
     VALUES ($1, $2, $3, $4, $5, 'Reasonable cause to suspect significant harm after police report', 'manager', 'A Manager', $6, $7, $8) RETURNING id`,
    [required.childId, overrides.kind ?? 'SECTION_47_ENQUIRY', overrides.recipientAgencyCodes === undefined ? null : overrides.recipientAgencyCodes,
      overrides.startsAt ?? new Date(Date.now() - 86400_000), overrides.endsAt ?? null, required.recordedByAgencyId,
      overrides.endedAt ?? null, overrides.endedAt ? 'Enquiry concluded' : null],
  );
  return row;
}

export async function createGrant(
  hub: Hub,
  required: { recordId: string; childId: string; ownerAgencyId: string; requesterAgencyId: string },
  overrides: { expiresAt?: Date; status?: 'APPROVED' | 'PENDING' | 'DECLINED' } = {},
): Promise<{ id: string }> {
  const status = overrides.status ?? 'APPROVED';
  const decided = status !== 'PENDING';
  const [row] = await hub.sql<{ id: string }>(
    `INSERT INTO access_request (record_id, child_id, owner_agency_id, requester_sub, requester_name, requester_agency_id, purpose, status,
       decided_by_sub, decided_by_name, decided_at, decision_reason, expires_at)
     VALUES ($1, $2, $3, 'requester', 'Requester', $4, '{"reason":"test purpose"}', $5, $6, $7, $8, $9, $10) RETURNING id`,
    [required.recordId, required.childId, required.ownerAgencyId, required.requesterAgencyId, status,
      decided ? 'owner-manager' : null, decided ? 'Owner Manager' : null, decided ? new Date(Date.now() - 60_000) : null,
      decided ? 'Released for the strategy discussion' : null,
      status === 'APPROVED' ? overrides.expiresAt ?? new Date(Date.now() + 86400_000) : null],
  );
  return row;
}

export async function createBreakGlass(
  hub: Hub,
  required: { childId: string; viewerSub: string; viewerAgencyId: string },
  overrides: { startedAt?: Date; expiresAt?: Date } = {},
): Promise<{ id: string }> {
  const startedAt = overrides.startedAt ?? new Date(Date.now() - 60_000);
  const [row] = await hub.sql<{ id: string }>(
    `INSERT INTO break_glass_session (child_id, viewer_sub, viewer_name, viewer_agency_id, reason, started_at, expires_at)
     VALUES ($1, $2, 'Viewer', $3, 'Child presented at A&E out of hours', $4, $5) RETURNING id`,
    [required.childId, required.viewerSub, required.viewerAgencyId, startedAt, overrides.expiresAt ?? new Date(startedAt.getTime() + 3600_000)],
  );
  return row;
}

export async function createOpenEnquiry(hub: Hub, required: { childIds: string[]; openedByAgencyId: string }): Promise<{ id: string }> {
  const [row] = await hub.sql<{ id: string }>(
    `INSERT INTO enquiry (received_at, opened_by_sub, opened_by_agency_id) VALUES (now(), 'researcher', $1) RETURNING id`,
    [required.openedByAgencyId],
  );
  await hub.sql(`INSERT INTO enquiry_child (enquiry_id, child_id) SELECT $1, unnest($2::uuid[])`, [row.id, required.childIds]);
  return row;
}
