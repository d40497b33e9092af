import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import type { Logger } from '../../logger';
import { arrayLiteral } from '../../db/array-literal';
import { PREPARED_STATEMENT_TIMEOUT_MS, PreparedStatement, runPrepared } from '../../db/prepared';
import { isStorableText } from '../../domain/storable-text';
import { isUuid } from '../../domain/identifiers';
import { OneAtATime } from '../../db/one-at-a-time';
import { RELEASE_ACTIONS } from '../../access/release-audit';
import { asStoredUuid, canonicalContentBeforeSeq, canonicalJson, type AuditContent } from './hash';

export type AuditOutcome = 'FULL' | 'FLAG' | 'DENIED' | 'OK';

/** One audit event as the access layer and the services describe it. */
export interface AuditEntry {
  readonly action: string;
  readonly outcome: AuditOutcome;
  readonly childId?: string | null;
  readonly recordId?: string | null;
  readonly recordAgencyId?: string | null;
  readonly grounds?: unknown;
  readonly purpose?: unknown;
  readonly query?: unknown;
  readonly resultIds?: readonly string[] | null;
  readonly reviewable?: boolean;
}

export interface AuditActor {
  readonly requestId: string;
  /** When the request started: the instant the policy decided at, stored as the event's time. */
  readonly now?: Date;
  readonly viewer: Pick<Viewer, 'sub' | 'name' | 'agencyCode' | 'roles'>;
}

export interface AuditWriterOptions {
  /**
   * At most how often (ms) the writer empties the pending list of the index on `result_ids`
   * (migration AuditIndexPending); 0 leaves it to autovacuum. Default one second.
   */
  readonly tidyIntervalMs?: number;
  readonly logger?: Pick<Logger, 'warn'>;
}

const TIDY_INTERVAL_MS = 1000;
const TIDY = `SELECT gin_clean_pending_list('audit_event_result_ids_idx'::regclass)`;

/**
 * Appends audit events to the hash chain. Reads are batched across concurrent requests (group
 * commit), one append under way at a time; writes that must commit with their data use
 * `appendWithin`. The database numbers and hashes the rows (migration AuditChainInDatabase), so
 * appends from any number of writers and processes need no coordination here.
 */
export class AuditWriter {
  /**
   * One append at a time: the rows of requests that finish while it runs gather into the next.
   * Appends queue on the chain's lock in any case, so a second one under way would only split the
   * same rows into smaller appends, each a transaction of its own with its own WAL flush; with two
   * server processes on two cores that cost about 5-15% of the portal's throughput.
   */
  private readonly appends = new OneAtATime<Waiter>(
    (batch) => this.appendBatch(batch),
    (batch, error) => batch.forEach((waiter) => waiter.reject(error)),
  );
  private tidying: Promise<void> | null = null;
  private lastTidy = 0;
  private tidyIntervalMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: AuditWriterOptions = {},
  ) {
    this.tidyIntervalMs = options.tidyIntervalMs ?? TIDY_INTERVAL_MS;
  }

  /** Resolves once the entries are committed; the caller must not release data before that. */
  append(actor: AuditActor, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.appends.add({ rows: entries.map((entry) => ({ actor, entry })), resolve, reject }));
  }

  /** Appends inside the caller's transaction, so a write and its audit commit or fail together. */
  async appendWithin(manager: EntityManager, actor: AuditActor, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await appendRows(manager, entries.map((entry) => ({ actor, entry })));
    this.tidySoon();
  }

  async close(): Promise<void> {
    await this.appends.idle();
    this.tidyIntervalMs = 0;
    await this.tidying;
  }

  private async appendBatch(batch: readonly Waiter[]): Promise<void> {
    try {
      await appendRows(this.dataSource.manager, batch.flatMap((waiter) => waiter.rows));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // Each request's rows on their own, so rows the database refuses fail only their request.
      await Promise.all(batch.map((waiter) => appendRows(this.dataSource.manager, waiter.rows).then(waiter.resolve, waiter.reject)));
      this.tidySoon();
      return;
    }
    for (const waiter of batch) waiter.resolve();
    this.tidySoon();
  }

  /**
   * Merges the ids that appends left in the index's pending list into the index, on a connection
   * of its own so no audited request waits for it. At most one at a time, and at most once per
   * interval; started by appends, so an idle hub does nothing.
   */
  private tidySoon(): void {
    const now = Date.now();
    if (this.tidyIntervalMs <= 0 || this.tidying || now - this.lastTidy < this.tidyIntervalMs) return;
    this.lastTidy = now;
    this.tidying = this.tidy().finally(() => {
      this.tidying = null;
    });
  }

  private async tidy(): Promise<void> {
    try {
      await this.dataSource.query(TIDY);
    } catch (error) {
      if (!this.dataSource.isInitialized) return;
      const code = (error as { driverError?: { code?: string } }).driverError?.code;
      // Only the index's owner may merge its list; under a lesser role autovacuum does it.
      if (code === '42501') this.tidyIntervalMs = 0;
      this.options.logger?.warn({ err: error }, code === '42501' ? 'the audit index is not the hub role\'s to tidy; left to autovacuum' : 'could not tidy the audit index');
    }
  }
}

interface Row {
  readonly actor: AuditActor;
  readonly entry: AuditEntry;
}

interface Waiter {
  readonly rows: Row[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

// One statement per this many rows keeps a single append's memory modest.
const ROWS_PER_APPEND = 2000;

/**
 * audit_append's parameters in order, as each is sent: an array literal cast to `type[]`, or, for
 * `lines`, JSON texts (grounds, purpose, query, and each row's canonical content) as the lines of
 * one text parameter that the database splits. JSON text never holds a raw newline, so nothing in
 * them needs escaping; as array literals every quote in them would be escaped here and unescaped
 * there, which cost the portal load about a tenth of its audit work.
 */
export const APPEND_PARAMETERS: ReadonlyArray<{ readonly name: string; readonly type: string; readonly lines?: true }> = [
  { name: 'occurred_at', type: 'timestamptz' }, { name: 'request_id', type: 'text' }, { name: 'actor_sub', type: 'text' },
  { name: 'actor_name', type: 'text' }, { name: 'actor_agency_code', type: 'text' }, { name: 'actor_roles', type: 'text' },
  { name: 'action', type: 'text' }, { name: 'child_id', type: 'uuid' }, { name: 'record_id', type: 'uuid' },
  { name: 'record_agency_id', type: 'uuid' }, { name: 'outcome', type: 'text' }, { name: 'grounds', type: 'jsonb', lines: true },
  { name: 'purpose', type: 'jsonb', lines: true }, { name: 'query', type: 'jsonb', lines: true }, { name: 'result_ids', type: 'text' },
  { name: 'reviewable', type: 'bool' }, { name: 'content_before_seq', type: 'text', lines: true },
];
const APPEND = new PreparedStatement(
  `SELECT audit_append(${APPEND_PARAMETERS.map(({ type, lines }, i) =>
    lines ? `string_to_array($${i + 1}::text, E'\\n')${type === 'text' ? '' : `::${type}[]`}` : `$${i + 1}::${type}[]`).join(', ')})`,
);

/** A nested array as a literal, so ragged per-row arrays can travel inside one unnest() column. */
function nestedLiteral(values: readonly string[] | null): string | null {
  return values === null ? null : arrayLiteral(values);
}

/** JSON texts as the lines of one text; a raw newline would shift every row after it. */
function asLines(values: readonly (string | boolean | null)[]): string {
  for (const value of values) {
    if (typeof value !== 'string' || value.includes('\n')) throw new Error('an audit column of JSON texts held something else');
  }
  return values.join('\n');
}

/**
 * Refuses a row whose text or ids PostgreSQL would not store exactly as given (a NUL, half of a
 * surrogate pair, an id in another spelling): stored otherwise than hashed, the row would read as
 * tampered with. The hub's inputs are checked before they get here; this is the chain's own guard.
 */
function assertStorable(texts: readonly (string | null)[], ids: readonly (string | null)[]): void {
  if (texts.some((text) => text !== null && !isStorableText(text)) || ids.some((id) => id !== null && !isUuid(id))) {
    throw new Error('an audit row holds text or an id that the database would not store as given');
  }
}

const RELEASES: ReadonlySet<string> = new Set(RELEASE_ACTIONS);

/**
 * Refuses a release of records that names no child: such events are found by their child when
 * someone asks who has seen a record, since the index on `result_ids` leaves them out (migration
 * AuditIndexWithoutReads). The database holds the same check (AuditReadsByChild); the access
 * layer always names the child, and this says so plainly before the database refuses the append.
 */
function assertFindable(content: Pick<AuditContent, 'action' | 'childId' | 'resultIds'>): void {
  if (RELEASES.has(content.action) && content.resultIds !== null && !content.childId) {
    throw new Error(`an audit row releasing records (${content.action}) names no child`);
  }
}

/** What every row of one request shares: its actor's fields, checked and in canonical form once. */
interface ActorFields {
  readonly occurredAt: string;
  readonly rolesLiteral: string;
  readonly canonical: Partial<Record<keyof AuditContent, string>>;
}

function actorFields(actor: AuditActor, appendedAt: Date): ActorFields {
  const { viewer } = actor;
  assertStorable([actor.requestId, viewer.sub, viewer.name, viewer.agencyCode, ...viewer.roles], []);
  const occurredAt = (actor.now ?? appendedAt).toISOString();
  return {
    occurredAt,
    rolesLiteral: arrayLiteral([...viewer.roles]),
    canonical: {
      occurredAt: canonicalJson(occurredAt),
      requestId: canonicalJson(actor.requestId),
      actorSub: canonicalJson(viewer.sub),
      actorName: canonicalJson(viewer.name),
      actorAgencyCode: canonicalJson(viewer.agencyCode),
      actorRoles: canonicalJson([...viewer.roles]),
    },
  };
}

/**
 * Sends the rows as column arrays, each with its canonical content up to its sequence number:
 * `audit_append` numbers and hashes them onto the chain, in this order, in one statement. Larger
 * sets go in several statements inside one transaction, so they stay contiguous (the chain's
 * lock is held to its end) and are written whole or not at all. The JSON columns are sent in
 * their canonical form, made once per row and used again inside the canonical content.
 */
async function appendRows(manager: EntityManager, rows: readonly Row[]): Promise<void> {
  if (rows.length > ROWS_PER_APPEND && !manager.queryRunner) {
    // On TypeORM's pool, whose connections set no limit: the same limit as a single append's, so
    // a hung statement ends instead of holding the writer, and every request behind it, for good.
    await manager.connection.transaction(async (inner) => {
      await inner.query(`SET LOCAL statement_timeout = ${PREPARED_STATEMENT_TIMEOUT_MS}`);
      await appendRows(inner, rows);
    });
    return;
  }
  const appendedAt = new Date();
  // A request's rows share its actor, and often the same purpose and grounds objects: each is
  // checked and written in canonical form once per append, not once per row.
  const actors = new Map<AuditActor, ActorFields>();
  const canonical = new Map<unknown, string>();
  const canonicalOnce = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return canonicalJson(value);
    let text = canonical.get(value);
    if (text === undefined) {
      text = canonicalJson(value);
      canonical.set(value, text);
    }
    return text;
  };
  for (let start = 0; start < rows.length; start += ROWS_PER_APPEND) {
    const columns: Array<Array<string | boolean | null>> = APPEND_PARAMETERS.map(() => []);
    for (const { actor, entry } of rows.slice(start, start + ROWS_PER_APPEND)) {
      let fields = actors.get(actor);
      if (!fields) {
        fields = actorFields(actor, appendedAt);
        actors.set(actor, fields);
      }
      const content: Omit<AuditContent, 'seq'> = {
        occurredAt: fields.occurredAt,
        requestId: actor.requestId,
        actorSub: actor.viewer.sub,
        actorName: actor.viewer.name,
        actorAgencyCode: actor.viewer.agencyCode,
        actorRoles: actor.viewer.roles,
        action: entry.action,
        childId: asStoredUuid(entry.childId),
        recordId: asStoredUuid(entry.recordId),
        recordAgencyId: asStoredUuid(entry.recordAgencyId),
        outcome: entry.outcome,
        grounds: entry.grounds ?? [],
        purpose: entry.purpose ?? null,
        query: entry.query ?? null,
        resultIds: entry.resultIds ? entry.resultIds.map((id) => id.toLowerCase()) : null,
        reviewable: entry.reviewable ?? false,
      };
      assertStorable([content.action, content.outcome], [content.childId, content.recordId, content.recordAgencyId, ...(content.resultIds ?? [])]);
      assertFindable(content);
      const json = { grounds: canonicalOnce(content.grounds), purpose: canonicalOnce(content.purpose), query: canonicalOnce(content.query) };
      // In the order of APPEND_PARAMETERS.
      const values = [
        content.occurredAt, content.requestId, content.actorSub, content.actorName, content.actorAgencyCode, fields.rolesLiteral,
        content.action, content.childId, content.recordId, content.recordAgencyId, content.outcome, json.grounds, json.purpose, json.query,
        nestedLiteral(content.resultIds), content.reviewable, canonicalContentBeforeSeq(content, fields.canonical, json),
      ];
      values.forEach((value, i) => columns[i].push(value));
    }
    await runPrepared(manager, APPEND, columns.map((column, i) => (APPEND_PARAMETERS[i].lines ? asLines(column) : arrayLiteral(column))));
  }
}
