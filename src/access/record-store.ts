import type { EntityManager } from 'typeorm';
import type { AgencyKind, RecordCategory, Sensitivity } from '../domain/vocabulary';

/** What the policy and a FLAG need: everything about a record except its content. */
export interface RecordMeta {
  readonly id: string;
  readonly childId: string;
  readonly agencyId: string;
  readonly agencyCode: string;
  readonly agencyName: string;
  readonly agencyKind: AgencyKind;
  readonly sourceRef: string;
  readonly version: number;
  readonly category: RecordCategory;
  readonly sensitivity: Sensitivity;
  readonly occurredAt: Date;
  readonly authorSub: string;
  readonly enquiryId: string | null;
  readonly recordedAt: Date;
}

export interface RecordContent {
  readonly summary: string;
  readonly detail: string | null;
  readonly factorCodes: string[];
}

export interface RecordMetaFilter {
  readonly agencyCodes?: readonly string[] | null;
  readonly categories?: readonly string[] | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
}

interface MetaRow {
  id: string;
  child_id: string;
  agency_id: string;
  agency_code: string;
  agency_name: string;
  agency_kind: AgencyKind;
  source_ref: string;
  version: number;
  category: RecordCategory;
  sensitivity: Sensitivity;
  occurred_at: Date;
  author_sub: string;
  enquiry_id: string | null;
  recorded_at: Date;
}

// The head carries the current version's metadata (kept by a trigger on record_version).
const META_COLUMNS = `r.id, r.child_id, r.agency_id, a.code AS agency_code, a.name AS agency_name, a.kind AS agency_kind,
  r.source_ref, r.current_version AS version, r.category, r.sensitivity, r.occurred_at, r.author_sub, r.enquiry_id, r.recorded_at`;

const META_FROM = `shared_record r JOIN agency a ON a.id = r.agency_id`;

function toMeta(row: MetaRow): RecordMeta {
  return {
    id: row.id,
    childId: row.child_id,
    agencyId: row.agency_id,
    agencyCode: row.agency_code,
    agencyName: row.agency_name,
    agencyKind: row.agency_kind,
    sourceRef: row.source_ref,
    version: row.version,
    category: row.category,
    sensitivity: row.sensitivity,
    occurredAt: row.occurred_at,
    authorSub: row.author_sub,
    enquiryId: row.enquiry_id,
    recordedAt: row.recorded_at,
  };
}

/** Every current record of each child, newest first; one statement for any number of children. */
export async function recordMetaByChild(manager: EntityManager, childIds: readonly string[], filter: RecordMetaFilter = {}): Promise<Map<string, RecordMeta[]>> {
  const rows: MetaRow[] = await manager.query(
    `SELECT ${META_COLUMNS} FROM ${META_FROM}
     WHERE r.child_id = ANY($1::uuid[])
       AND ($2::text[] IS NULL OR a.code = ANY($2))
       AND ($3::text[] IS NULL OR r.category = ANY($3))
       AND ($4::timestamptz IS NULL OR r.occurred_at >= $4)
       AND ($5::timestamptz IS NULL OR r.occurred_at < $5)
     ORDER BY r.occurred_at DESC, r.id DESC`,
    [childIds, filter.agencyCodes ?? null, filter.categories ?? null, filter.from ?? null, filter.to ?? null],
  );
  const byChild = new Map<string, RecordMeta[]>(childIds.map((id) => [id, []]));
  for (const row of rows) byChild.get(row.child_id)?.push(toMeta(row));
  return byChild;
}

export async function recordMetaByIds(manager: EntityManager, ids: readonly string[]): Promise<Map<string, RecordMeta>> {
  const rows: MetaRow[] = await manager.query(`SELECT ${META_COLUMNS} FROM ${META_FROM} WHERE r.id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((row) => [row.id, toMeta(row)]));
}

/** Content of the current versions, fetched only for records the policy released in full. */
export async function recordContent(manager: EntityManager, keys: readonly { id: string; version: number }[]): Promise<Map<string, RecordContent>> {
  if (keys.length === 0) return new Map();
  const rows: Array<{ record_id: string; summary: string; detail: string | null; factor_codes: string[] }> = await manager.query(
    `SELECT v.record_id, v.summary, v.detail, v.factor_codes
     FROM unnest($1::uuid[], $2::int[]) AS k(id, version)
     JOIN record_version v ON v.record_id = k.id AND v.version = k.version`,
    [keys.map((k) => k.id), keys.map((k) => k.version)],
  );
  return new Map(rows.map((row) => [row.record_id, { summary: row.summary, detail: row.detail, factorCodes: row.factor_codes }]));
}
