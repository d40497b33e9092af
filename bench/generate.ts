import type { EntityManager } from 'typeorm';

/**
 * A synthetic county built with set-based SQL (INSERT … SELECT generate_series), so 60,000
 * children and 2,000,000 records take minutes, not hours. Everything is fictional and
 * deterministic: child n has id md5('bench-child-n'), record n has id md5('bench-record-n').
 *
 * Child 1 is the "heavy" child: the first HEAVY_RECORDS records are theirs, the size of a
 * long multi-agency history the chronology must still serve quickly.
 */
export const HEAVY_RECORDS = 1000;
export const AGENCIES = [
  { code: 'NPOL', name: 'Northshire Police', kind: 'POLICE' },
  { code: 'NHEALTH', name: 'Northshire Health Trust', kind: 'HEALTH' },
  { code: 'NSCHOOL', name: 'Northshire Schools', kind: 'EDUCATION' },
  { code: 'NCSC', name: "Northshire Children's Social Care", kind: 'SOCIAL_CARE' },
] as const;

export interface CountySize {
  readonly scale: number;
  readonly children: number;
  readonly records: number;
}

export function countySize(scale: number): CountySize {
  return { scale, children: Math.max(200, Math.round(60_000 * scale)), records: Math.max(HEAVY_RECORDS * 2, Math.round(2_000_000 * scale)) };
}

export const childIdSql = (n: string): string => `md5('bench-child-' || ${n})::uuid`;

const GIVEN = ['Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia', 'Grace', 'Freya', 'Willow', 'Evie', 'Poppy',
  'Noah', 'Oliver', 'George', 'Arthur', 'Muhammad', 'Leo', 'Harry', 'Oscar', 'Archie', 'Henry', 'Theodore', 'Freddie', 'Jack', 'Charlie', 'Thomas',
  'Aisha', 'Zara', 'Maya', 'Priya', 'Fatima', 'Yusuf', 'Ibrahim', 'Arjun', 'Kai', 'Reuben'];
const FAMILY = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson', 'Evans',
  'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner', 'Martin', 'Cooper', 'Hill',
  'Ward', 'Hughes', 'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan', 'Scott', 'Watson', 'Davis', 'Parker',
  'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell', 'Bailey', 'Carter', 'Cook', 'Singh', 'Shaw', 'Bell', 'Collins', 'Morgan',
  'Kelly', 'Begum', 'Miller', 'Cox', 'Hussain', 'Marshall', 'Simpson', 'Price', 'Anderson', 'Adams', 'Wilkinson', 'Ali', 'Ahmed', 'Foster',
  'Ellis', 'Murphy', 'Chapman', 'Mason', 'Gray', 'Richards', 'Webb', 'Griffiths', 'Hunt', 'Palmer', 'Campbell', 'Holmes', 'Mills', 'Rogers',
  'Barnes', 'Knight', 'Matthews', 'Barker', 'Powell', 'Stevens', 'Kaur', 'Fisher', 'Butler', 'Dixon', 'Russell', 'Harvey', 'Pearson', 'Graham'];
const arr = (values: readonly string[]): string => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;

// Per agency: the categories its systems send, weighted by repetition.
const CATEGORIES: Record<string, readonly string[]> = {
  NPOL: ['POLICE_INCIDENT', 'POLICE_INCIDENT', 'POLICE_INCIDENT', 'DOMESTIC_ABUSE', 'DOMESTIC_ABUSE', 'MISSING_EPISODE', 'EXPLOITATION', 'ARREST_OR_CHARGE'],
  NHEALTH: ['HEALTH_CONTACT', 'HEALTH_CONTACT', 'HEALTH_CONTACT', 'EMERGENCY_ATTENDANCE', 'INJURY', 'DEVELOPMENT', 'MENTAL_HEALTH', 'SEXUAL_HEALTH', 'SUBSTANCE_MISUSE'],
  NSCHOOL: ['ATTENDANCE', 'ATTENDANCE', 'ATTENDANCE', 'EDUCATION_CONCERN', 'EDUCATION_CONCERN', 'EXCLUSION', 'SPECIAL_EDUCATIONAL_NEEDS'],
  NCSC: ['SOCIAL_CARE_INVOLVEMENT', 'SOCIAL_CARE_INVOLVEMENT', 'CHILD_PROTECTION', 'HOUSING', 'OTHER'],
};

/** Builds the county with one statement per table, reporting each step; the caller gives the transaction. */
export async function generateCounty(ds: EntityManager, size: CountySize, log: (step: string) => void): Promise<void> {
  const step = async (label: string, sql: string, params: unknown[] = []): Promise<void> => {
    const started = Date.now();
    await ds.query(sql, params);
    log(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };
  await ds.query(`SET synchronous_commit = off`);
  await step(
    'agencies',
    `INSERT INTO agency (code, name, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (code) DO NOTHING`,
    [AGENCIES.map((a) => a.code), AGENCIES.map((a) => a.name), AGENCIES.map((a) => a.kind)],
  );

  // NHS number: nine digits from the serial, then the modulus 11 check digit; the one serial in
  // eleven whose check would be 10 gets no NHS number, as some real children have none on file.
  // UPN: LA 881, a school, year 15, a serial; check letter = letter table[sum(weights 2..13) mod 23].
  await step(
    `children: ${size.children}`,
    `INSERT INTO child (id, given_name, family_name, date_of_birth, gender, nhs_number, upn, address, postcode)
     SELECT ${childIdSql('g.n')}, g.given, g.family, g.dob, g.gender,
            CASE WHEN g.nhs_check < 10 THEN g.nine || g.nhs_check END,
            CASE WHEN g.dob < date '2020-09-01' THEN substr('ABCDEFGHJKLMNPQRTUVWXYZ', (1 + g.upn_sum % 23)::int, 1) || g.upn_body END,
            g.n || ' Fiction Street, Northtown', g.postcode
     FROM (
       SELECT n, given, family, dob, gender, nine, upn_body,
              (11 - (SELECT sum(substr(nine, i, 1)::int * (11 - i)) FROM generate_series(1, 9) i) % 11) % 11 AS nhs_check,
              (SELECT sum(substr(upn_body, i, 1)::int * (i + 1)) FROM generate_series(1, 12) i) AS upn_sum,
              postcode
       FROM (
         SELECT n,
                (${arr(GIVEN)})[1 + (n * 7) % ${GIVEN.length}] AS given,
                (${arr(FAMILY)})[1 + (n * 13 + n / 97) % ${FAMILY.length}] AS family,
                date '2007-06-01' + ((n * 7919) % 6570) AS dob,
                CASE WHEN n % 2 = 0 THEN 'FEMALE' ELSE 'MALE' END AS gender,
                (400000000 + n)::text AS nine,
                '881' || lpad((n / 1000)::text, 4, '0') || '15' || lpad((n % 1000)::text, 3, '0') AS upn_body,
                'NT' || (1 + n % 20) || ' ' || (n % 10) || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + n % 20, 1) || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + (n / 20) % 20, 1) AS postcode
         FROM generate_series(1, $1::int) n
       ) base
     ) g`,
    [size.children],
  );
  await step(
    'local identifiers (health for every child, police for one in three)',
    `INSERT INTO child_identifier (child_id, agency_id, local_id)
     SELECT ${childIdSql('n')}, a.id, CASE a.code WHEN 'NHEALTH' THEN 'EPR' ELSE 'PER' END || lpad(n::text, 7, '0')
     FROM generate_series(1, $1::int) n JOIN agency a ON a.code = 'NHEALTH' OR (a.code = 'NPOL' AND n % 3 = 0)`,
    [size.children],
  );

  // Record r: agency by r mod 10 (police 40%, health 30%, schools 20%, social care 10%), child 1
  // for the first HEAVY_RECORDS, otherwise spread evenly over the others.
  const recordRows = `
    SELECT r, a.id AS agency_id, a.code,
           ${childIdSql(`CASE WHEN r <= ${HEAVY_RECORDS} THEN 1 ELSE 2 + (r::bigint * 7919) % ($2::int - 1) END`)} AS child_id
    FROM generate_series(1, $1::int) r
    JOIN agency a ON a.code = (ARRAY['NPOL','NPOL','NPOL','NPOL','NHEALTH','NHEALTH','NHEALTH','NSCHOOL','NSCHOOL','NCSC'])[1 + r % 10]`;
  await step(
    `records: ${size.records}`,
    `INSERT INTO shared_record (id, agency_id, source_ref, child_id)
     SELECT md5('bench-record-' || r)::uuid, agency_id, code || '-' || lpad(r::text, 8, '0'), child_id FROM (${recordRows}) x`,
    [size.records, size.children],
  );
  const categoryCase = Object.entries(CATEGORIES)
    .map(([code, list]) => `WHEN '${code}' THEN (${arr(list)})[1 + (r / 10) % ${list.length}]`)
    .join(' ');
  await step(
    'record versions',
    `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, detail, factor_codes, content_hash, author_sub)
     SELECT md5('bench-record-' || r)::uuid, 1, category,
            CASE WHEN category IN ('MENTAL_HEALTH', 'SEXUAL_HEALTH', 'SUBSTANCE_MISUSE') THEN 'SENSITIVE'
                 WHEN code = 'NPOL' AND r % 31 = 0 THEN 'RESTRICTED' ELSE 'STANDARD' END,
            timestamptz '2015-01-01 00:00:00+00' + ((r::bigint * 104729) % 315360000) * interval '1 second',
            initcap(replace(lower(category), '_', ' ')) || ' recorded (ref ' || r || ')',
            'Fictional detail for benchmark record ' || r || '. Practitioner notes describe who was present, what was seen and the action taken.',
            CASE WHEN r % 7 = 0 THEN ARRAY['3A'] ELSE '{}' END,
            md5('content-' || r) || md5('hash-' || r),
            'bench-' || lower(code)
     FROM (SELECT x.*, CASE code ${categoryCase} END AS category FROM (${recordRows}) x) y`,
    [size.records, size.children],
  );
  // Grounds: one child in ten has consent for the four agencies; one in fifty is under a s47
  // enquiry. Child 1 has both, so every viewer below sees most of the heavy history.
  await step(
    'consents',
    `INSERT INTO consent (child_id, given_by, given_by_name, recipient_agency_codes, purpose, given_at, evidence, recorded_by_sub, recorded_by_agency_id)
     SELECT ${childIdSql('n')}, 'PARENT', 'Fictional Parent', ARRAY['NPOL','NHEALTH','NSCHOOL','NCSC'], 'Early help assessment',
            now() - interval '30 days', 'Signed form', 'bench-ncsc', (SELECT id FROM agency WHERE code = 'NCSC')
     FROM generate_series(1, $1::int) n WHERE n % 10 = 1`,
    [size.children],
  );
  await step(
    'lawful bases',
    `INSERT INTO lawful_basis (child_id, kind, starts_at, rationale, authorised_by_sub, authorised_by_name, recorded_by_agency_id)
     SELECT ${childIdSql('n')}, 'SECTION_47_ENQUIRY', now() - interval '7 days',
            'Reasonable cause to suspect significant harm (Children Act 1989 s47): strategy discussion held',
            'bench-manager', 'Fictional Manager', (SELECT id FROM agency WHERE code = 'NCSC')
     FROM generate_series(1, $1::int) n WHERE n % 50 = 1`,
    [size.children],
  );
}
