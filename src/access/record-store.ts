import type { EntityManager } from 'typeorm';
import { CoalescedStatement } from '../db/coalesced';
import { PreparedStatement, runPrepared } from '../db/prepared';
import { RECORD_CATEGORIES, SENSITIVITIES, type AgencyKind, type RecordCategory, type Sensitivity } from '../domain/vocabulary';

/**
 * What the policy needs to decide on a record, and nothing more: a child may have a thousand
 * records and every one is decided before a page is cut, so this row is kept narrow.
 */
export interface RecordMeta {
  readonly id: string;
  readonly childId: string;
  readonly agencyId: string;
  readonly version: number;
  readonly category: RecordCategory;
  readonly sensitivity: Sensitivity;
  readonly occurredAt: Date;
  readonly authorSub: string;
}

/**
 * Everything else about a record, fetched only for records the policy released in full. The
 * summary always comes; the other parts only when asked for (`ContentPart`), and are null when not.
 */
export interface RecordContent {
  readonly summary: string;
  readonly detail: string | null;
  readonly factorCodes: string[] | null;
  readonly sourceRef: string | null;
  readonly enquiryId: string | null;
  readonly recordedAt: Date | null;
}

/** The parts of a record's content a caller may leave out; each is named as the GraphQL field showing it. */
export const CONTENT_PARTS = ['detail', 'factorCodes', 'sourceRef', 'enquiryId', 'recordedAt'] as const;
export type ContentPart = (typeof CONTENT_PARTS)[number];

export interface AgencyRef {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: AgencyKind;
}

/** The metadata columns are null on a head written bare, until its first version is filed. */
interface MetaRow {
  id: string;
  child_id: string;
  agency_id: string;
  version: number;
  category: RecordCategory | null;
  sensitivity: Sensitivity | null;
  occurred_at: Date | null;
  author_sub: string | null;
}

// The head carries the current version's metadata (kept by a trigger on record_version).
const META_COLUMNS = `r.id, r.child_id, r.agency_id, r.current_version AS version, r.category, r.sensitivity, r.occurred_at, r.author_sub`;

function toMeta(row: MetaRow): RecordMeta {
  // A head written bare and never given a version has no metadata to decide on: fail closed.
  if (row.category === null || row.sensitivity === null || row.occurred_at === null || row.author_sub === null) {
    throw new Error(`record ${row.id} has no current metadata; nothing is decided on it`);
  }
  return {
    id: row.id,
    childId: row.child_id,
    agencyId: row.agency_id,
    version: row.version,
    category: row.category,
    sensitivity: row.sensitivity,
    occurredAt: row.occurred_at,
    authorSub: row.author_sub,
  };
}

/**
 * A child's records come back as one value per child rather than a row each: a child with a
 * thousand records is then one string for the driver to decode instead of a thousand rows, and
 * splitting it costs a quarter of decoding the rows. The fixed-format fields (ids, version,
 * vocabulary codes, the time in epoch milliseconds) are joined with separators none of them can
 * contain; the author's sub, which may contain anything, travels alongside as a JSON array in the
 * same order. `PACKED_METAS` is the select list, over `shared_record r`: the facts loader uses it
 * too, to bring a child's records with its facts when a page of them is wanted.
 */
export const PACKED_METAS = `string_agg(concat_ws(',', r.id, r.agency_id, r.current_version, r.category, r.sensitivity, floor(extract(epoch FROM r.occurred_at) * 1000)::bigint), ';'
       ORDER BY r.occurred_at DESC, r.id DESC) AS metas,
     json_agg(r.author_sub ORDER BY r.occurred_at DESC, r.id DESC) AS authors`;

const META_BY_CHILD = new PreparedStatement(
  `SELECT r.child_id, ${PACKED_METAS}
   FROM shared_record r WHERE r.child_id = ANY($1::uuid[]) GROUP BY r.child_id`,
);
const META_BY_ID = new PreparedStatement(`SELECT ${META_COLUMNS} FROM shared_record r WHERE r.id = ANY($1::uuid[])`);
interface ContentRow {
  n: number;
  record_id: string;
  summary: string;
  detail: string | null;
  factor_codes: string[] | null;
  source_ref: string | null;
  enquiry_id: string | null;
  recorded_at: Date | null;
}

// Each part's column, or a typed null in its place when the part is not asked for. The reference
// lives on the head: without it, one index probe per record instead of two.
const PART_COLUMNS: Record<ContentPart, { readonly column: string; readonly absent: string }> = {
  detail: { column: 'v.detail', absent: 'NULL::text AS detail' },
  factorCodes: { column: 'v.factor_codes', absent: 'NULL::text[] AS factor_codes' },
  sourceRef: { column: 'r.source_ref', absent: 'NULL::text AS source_ref' },
  enquiryId: { column: 'v.enquiry_id', absent: 'NULL::uuid AS enquiry_id' },
  recordedAt: { column: 'v.created_at AS recorded_at', absent: 'NULL::timestamptz AS recorded_at' },
};

/**
 * One statement for each set of parts, made when first used (at most 2^5). A page that shows only
 * summaries reads, sends and decodes no narrative, codes or times it will not show: a practitioner's
 * narrative can run to thousands of characters.
 */
const contentStatements = new Map<number, CoalescedStatement<ContentRow>>();

/** One number for each set of content parts, the same whatever order the set was made in. */
export function contentPartsKey(parts: ReadonlySet<ContentPart>): number {
  return CONTENT_PARTS.reduce((bits, part, bit) => (parts.has(part) ? bits | (1 << bit) : bits), 0);
}

function contentStatement(parts: ReadonlySet<ContentPart>): CoalescedStatement<ContentRow> {
  const mask = contentPartsKey(parts);
  let statement = contentStatements.get(mask);
  if (!statement) {
    const columns = CONTENT_PARTS.map((part) => (parts.has(part) ? PART_COLUMNS[part].column : PART_COLUMNS[part].absent));
    statement = new CoalescedStatement<ContentRow>(new PreparedStatement(
      `SELECT k.n::int AS n, v.record_id, v.summary, ${columns.join(', ')}
       FROM unnest($1::uuid[], $2::int[]) WITH ORDINALITY AS k(id, version, n)
       JOIN record_version v ON v.record_id = k.id AND v.version = k.version
       ${parts.has('sourceRef') ? 'JOIN shared_record r ON r.id = k.id' : ''}`,
    ));
    contentStatements.set(mask, statement);
  }
  return statement;
}

export const ALL_CONTENT_PARTS: ReadonlySet<ContentPart> = new Set(CONTENT_PARTS);

const CATEGORY_SET: ReadonlySet<string> = new Set(RECORD_CATEGORIES);
const SENSITIVITY_SET: ReadonlySet<string> = new Set(SENSITIVITIES);

/**
 * A child's records from the `PACKED_METAS` columns, newest first; none when both are null.
 * Decodes them failing closed: a head whose metadata is missing (`concat_ws` drops
 * NULLs, so a head written bare and never given a version packs short) or malformed throws, and
 * the request is refused, rather than any record being decided on fields that are not its own.
 */
export function unpackMetas(childId: string, metas: string | null, authors: string[] | null): RecordMeta[] {
  if (metas === null || authors === null) return [];
  const malformed = (why: string): Error => new Error(`the record metadata of child ${childId} is malformed (${why}); nothing is decided on it`);
  // Read in place, each record within its own bounds, rather than split twice: a thousand records
  // would be a thousand and one throwaway arrays.
  const records: RecordMeta[] = [];
  let at = 0;
  for (;;) {
    let end = metas.indexOf(';', at);
    if (end < 0) end = metas.length;
    // The five commas between six fields, all inside this record, and none after the fifth.
    const c1 = metas.indexOf(',', at);
    const c2 = c1 < 0 ? -1 : metas.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : metas.indexOf(',', c2 + 1);
    const c4 = c3 < 0 ? -1 : metas.indexOf(',', c3 + 1);
    const c5 = c4 < 0 ? -1 : metas.indexOf(',', c4 + 1);
    const c6 = c5 < 0 ? -1 : metas.indexOf(',', c5 + 1);
    const n = records.length + 1;
    if (c5 < 0 || c5 >= end || (c6 >= 0 && c6 < end)) throw malformed(`record ${n} has not six fields`);
    const id = metas.slice(at, c1);
    const agencyId = metas.slice(c1 + 1, c2);
    const version = metas.slice(c2 + 1, c3);
    const category = metas.slice(c3 + 1, c4);
    const sensitivity = metas.slice(c4 + 1, c5);
    const occurredAt = metas.slice(c5 + 1, end);
    if (id === '' || agencyId === '' || version === '' || occurredAt === '') throw malformed(`record ${n} has an empty field`);
    if (!CATEGORY_SET.has(category) || !SENSITIVITY_SET.has(sensitivity)) throw malformed(`record ${id} has an unknown category or sensitivity`);
    const meta: RecordMeta = {
      id, childId, agencyId, version: Number(version), category: category as RecordCategory, sensitivity: sensitivity as Sensitivity,
      occurredAt: new Date(Number(occurredAt)), authorSub: authors[records.length],
    };
    if (!Number.isInteger(meta.version) || Number.isNaN(meta.occurredAt.getTime()) || typeof meta.authorSub !== 'string') {
      throw malformed(`record ${id} has a bad version, time or author`);
    }
    records.push(meta);
    if (end === metas.length) break;
    at = end + 1;
  }
  if (records.length !== authors.length) throw malformed(`${records.length} records but ${authors.length} authors`);
  return records;
}

/** Every current record of each child, newest first; one statement for any number of children. */
export async function recordMetaByChild(manager: EntityManager, childIds: readonly string[]): Promise<Map<string, RecordMeta[]>> {
  const rows = await runPrepared<{ child_id: string; metas: string; authors: string[] }>(manager, META_BY_CHILD, [childIds]);
  const byChild = new Map<string, RecordMeta[]>(childIds.map((id) => [id, []]));
  for (const { child_id: childId, metas, authors } of rows) byChild.set(childId, unpackMetas(childId, metas, authors));
  return byChild;
}

export async function recordMetaByIds(manager: EntityManager, ids: readonly string[]): Promise<Map<string, RecordMeta>> {
  const rows = await runPrepared<MetaRow>(manager, META_BY_ID, [ids]);
  return new Map(rows.map((row) => [row.id, toMeta(row)]));
}

/** The key `recordContent` answers each version under. */
export function contentKey(key: { id: string; version: number }): string {
  return `${key.id}@${key.version}`;
}

/** Content of the given versions by `contentKey`: the summary, and of the other parts those in `parts`. */
export async function recordContent(
  manager: EntityManager, keys: readonly { id: string; version: number }[], parts: ReadonlySet<ContentPart> = ALL_CONTENT_PARTS,
): Promise<Map<string, RecordContent>> {
  if (keys.length === 0) return new Map();
  const rows = await contentStatement(parts).run(manager, [keys.map((k) => k.id), keys.map((k) => k.version)]);
  return new Map(
    rows.map((row) => [
      contentKey(keys[row.n - 1]),
      { summary: row.summary, detail: row.detail, factorCodes: row.factor_codes, sourceRef: row.source_ref, enquiryId: row.enquiry_id, recordedAt: row.recorded_at },
    ]),
  );
}

/** Every agency by id: a short list, read once per request that shows records. */
export async function agenciesById(manager: EntityManager): Promise<Map<string, AgencyRef>> {
  const rows: AgencyRef[] = await manager.query('SELECT id, code, name, kind FROM agency');
  return new Map(rows.map((row) => [row.id, row]));
}
