import { createHash, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { makeUpn, nhsCheckDigit } from '../domain/identifiers';
import { defaultSensitivity, type AgencyKind, type RecordCategory, type Sensitivity } from '../domain/vocabulary';
import { DEMO_AGENCIES, FAMILY_NAMES, GIVEN_NAMES, RECORD_TEMPLATES, STREETS } from './demo-vocabulary';

/** A small deterministic random source, so every fresh demo county is the same county. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

export interface DemoSummary {
  agencies: number;
  children: number;
  records: number;
  consents: number;
  lawfulBases: number;
}

/**
 * Loads the fictional county of Northshire when the database has no agencies: police, health,
 * education and social care, a few hundred children with records, consents and lawful bases.
 * Names and places are invented; NHS numbers and UPNs are valid in form only.
 */
export async function loadDemoDataIfEmpty(dataSource: DataSource, logger: Logger, children = 300): Promise<DemoSummary | null> {
  return dataSource.transaction(async (manager) => {
    // Serialise with any other process starting on the same empty database.
    await manager.query('SELECT pg_advisory_xact_lock(7340002)');
    const [{ count }] = await manager.query('SELECT count(*)::int AS count FROM agency');
    if (count > 0) return null;
    logger.info({ children }, 'loading the Northshire demo county');
    return insertCounty(manager, children, seededRandom(20261122));
  });
}

async function insertCounty(manager: EntityManager, childCount: number, random: () => number): Promise<DemoSummary> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const agencies: Array<{ id: string; code: string; kind: AgencyKind }> = [];
  for (const agency of DEMO_AGENCIES) {
    const [row] = await manager.query('INSERT INTO agency (code, name, kind) VALUES ($1, $2, $3) RETURNING id, code, kind', [agency.code, agency.name, agency.kind]);
    agencies.push(row);
  }
  const byKind = (kind: AgencyKind) => agencies.filter((a) => a.kind === kind);
  const social = byKind('SOCIAL_CARE')[0];
  const now = Date.now();

  const children = Array.from({ length: childCount }, (_, i) => {
    const ageDays = Math.floor(random() * 17.5 * 365);
    const confidential = random() < 0.03;
    let nine = String(600000000 + i * 9973).padStart(9, '0');
    while (nhsCheckDigit(nine) === null) nine = String(Number(nine) + 1);
    return {
      id: randomUUID(),
      givenName: pick(GIVEN_NAMES),
      familyName: pick(FAMILY_NAMES),
      dateOfBirth: new Date(now - ageDays * DAY).toISOString().slice(0, 10),
      gender: random() < 0.5 ? 'FEMALE' : 'MALE',
      nhsNumber: `${nine}${nhsCheckDigit(nine)}`,
      upn: ageDays > 4 * 365 ? makeUpn(`9${String(10 + (i % 80)).padStart(2, '0')}${String(2000 + (i % 7000)).padStart(4, '0')}${String(20 + (i % 6)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`) : null,
      address: `${1 + Math.floor(random() * 120)} ${pick(STREETS)}, Northtown`,
      postcode: `NS${1 + Math.floor(random() * 9)} ${1 + Math.floor(random() * 9)}${pick(['AB', 'DE', 'FG', 'HJ', 'LN', 'PQ', 'RT', 'UW'])}`,
      confidential,
      recordedBy: confidential ? social.id : null,
      shielded: random() < 0.02,
    };
  });
  await manager.query(
    `INSERT INTO child (id, given_name, family_name, date_of_birth, gender, nhs_number, upn, address, postcode, address_confidential, address_recorded_by_agency_id, shielded)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bool[], $11::uuid[], $12::bool[])`,
    [children.map((c) => c.id), children.map((c) => c.givenName), children.map((c) => c.familyName), children.map((c) => c.dateOfBirth),
      children.map((c) => c.gender), children.map((c) => c.nhsNumber), children.map((c) => c.upn), children.map((c) => c.address),
      children.map((c) => c.postcode), children.map((c) => c.confidential), children.map((c) => c.recordedBy), children.map((c) => c.shielded)],
  );

  const records: Array<{ id: string; agencyId: string; childId: string; sourceRef: string; category: RecordCategory; sensitivity: Sensitivity; occurredAt: string; summary: string; detail: string; factors: string[] }> = [];
  for (const child of children) {
    const count = Math.floor(random() * random() * 14);
    for (let r = 0; r < count; r += 1) {
      const template = pick(RECORD_TEMPLATES);
      const agency = pick(byKind(template.kind));
      const restricted = template.kind === 'POLICE' && random() < 0.15;
      records.push({
        id: randomUUID(),
        agencyId: agency.id,
        childId: child.id,
        sourceRef: `${agency.code}-${String(records.length + 1).padStart(6, '0')}`,
        category: template.category,
        sensitivity: restricted ? 'RESTRICTED' : defaultSensitivity(template.category),
        occurredAt: new Date(now - Math.floor(random() * 3 * 365) * DAY - Math.floor(random() * DAY)).toISOString(),
        summary: template.summary,
        detail: `${template.detail} (Fictional demonstration record.)`,
        factors: template.factors,
      });
    }
  }
  await manager.query(`INSERT INTO shared_record (id, agency_id, source_ref, child_id) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[])`,
    [records.map((r) => r.id), records.map((r) => r.agencyId), records.map((r) => r.sourceRef), records.map((r) => r.childId)]);
  await manager.query(
    `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, detail, factor_codes, content_hash, author_sub)
     SELECT id, 1, category, sensitivity, occurred_at, summary, detail, string_to_array(factors, ','), hash, 'demo-import'
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS t(id, category, sensitivity, occurred_at, summary, detail, factors, hash)`,
    [records.map((r) => r.id), records.map((r) => r.category), records.map((r) => r.sensitivity), records.map((r) => r.occurredAt),
      records.map((r) => r.summary), records.map((r) => r.detail), records.map((r) => r.factors.join(',')),
      records.map((r) => createHash('sha256').update(`${r.category}|${r.occurredAt}|${r.summary}|${r.detail}`).digest('hex'))],
  );

  const partnerCodes = agencies.map((a) => a.code);
  const consented = children.filter(() => random() < 0.3);
  await manager.query(
    `INSERT INTO consent (child_id, given_by, given_by_name, recipient_agency_codes, categories, purpose, given_at, expires_at, evidence, recorded_by_sub, recorded_by_agency_id)
     SELECT child_id, 'PARENT', 'Parent (fictional)', $2::text[], '{}', 'Early help assessment and family support plan',
            now() - interval '30 days', now() + interval '335 days', 'Signed early help consent form', 'demo-early-help', $3
     FROM unnest($1::uuid[]) AS t(child_id)`,
    [consented.map((c) => c.id), partnerCodes, social.id],
  );
  const protectedChildren = children.filter(() => random() < 0.06);
  await manager.query(
    `INSERT INTO lawful_basis (child_id, kind, recipient_agency_codes, starts_at, rationale, authorised_by_sub, authorised_by_name, recorded_by_agency_id)
     SELECT child_id, 'CHILD_PROTECTION_PLAN', NULL, now() - interval '60 days',
            'Child protection plan agreed at the initial child protection conference; partners share to deliver the plan.',
            'demo-manager', 'Demo Team Manager', $2
     FROM unnest($1::uuid[]) AS t(child_id)`,
    [protectedChildren.map((c) => c.id), social.id],
  );
  return { agencies: agencies.length, children: children.length, records: records.length, consents: consented.length, lawfulBases: protectedChildren.length };
}
