import type { EntityManager } from 'typeorm';
import { CoalescedStatement } from '../db/coalesced';
import { PreparedStatement, runPrepared } from '../db/prepared';
import type { AgencyKind, RecordCategory, Sensitivity } from '../domain/vocabulary';

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

interface MetaRow {
  id: string;
  child_id: string;
  agency_id: string;
  version: number;
  category: RecordCategory;
  sensitivity: Sensitivity;
  occurred_at: Date;
  author_sub: string;
}

// The head carries the current version's metadata (kept by a trigger on record_version).
const META_COLUMNS = `r.id, r.child_id, r.agency_id, r.current_version AS version, r.category, r.sensitivity, r.occurred_at, r.author_sub`;

function toMeta(row: MetaRow): RecordMeta {
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

function contentStatement(parts: ReadonlySet<ContentPart>): CoalescedStatement<ContentRow> {
  const mask = CONTENT_PARTS.reduce((bits, part, bit) => (parts.has(part) ? bits | (1 << bit) : bits), 0);
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

/** A child's records from the `PACKED_METAS` columns, newest first; none when both are null. */
export function unpackMetas(childId: string, metas: string | null, authors: string[] | null): RecordMeta[] {
  if (metas === null || authors === null) return [];
  // Read field by field rather than split twice: a thousand records would be a thousand and one
  // throwaway arrays.
  const records: RecordMeta[] = [];
  let at = 0;
  const field = (separator: string): string => {
    let end = metas.indexOf(separator, at);
    if (end < 0) end = metas.length;
    const text = metas.slice(at, end);
    at = end + 1;
    return text;
  };
  while (at < metas.length) {
    const id = field(',');
    const agencyId = field(',');
    const version = Number(field(','));
    const category = field(',') as RecordCategory;
    const sensitivity = field(',') as Sensitivity;
    const occurredAt = new Date(Number(field(';')));
    records.push({ id, childId, agencyId, version, category, sensitivity, occurredAt, authorSub: authors[records.length] });
  }
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
