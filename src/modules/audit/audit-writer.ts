import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import type { Logger } from '../../logger';
import { arrayLiteral } from '../../db/array-literal';
import { PreparedStatement, runPrepared } from '../../db/prepared';
import { asStoredJson, asStoredUuid, chainHash, GENESIS_HASH, type AuditContent } from './hash';

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

// One chain for the whole database: appends from every process serialise on this lock.
const CHAIN_LOCK = 7_340_001;
const COLUMNS = 19;

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
 * Appends audit events to the hash chain. Reads are batched across concurrent requests into
 * one transaction (group commit); writes that must commit with their data use `appendWithin`.
 */
export class AuditWriter {
  private queue: { rows: Array<{ actor: AuditActor; entry: AuditEntry }>; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;
  /**
   * The chain's last row as this writer left it. A flush appends after it in one statement; if
   * anyone else (another process, a write's own transaction) has appended since, the new row's
   * sequence number is already taken, the statement fails whole, and the flush reads the tail.
   */
  private tail: ChainPosition | null = null;
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
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows: entries.map((entry) => ({ actor, entry })), resolve, reject });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  /** Appends inside the caller's transaction, so a write and its audit commit or fail together. */
  async appendWithin(manager: EntityManager, actor: AuditActor, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await insertChained(manager, entries.map((entry) => ({ actor, entry })));
    this.tidySoon();
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.tidyIntervalMs = 0;
    await this.tidying;
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

  private async flush(rows: Array<{ actor: AuditActor; entry: AuditEntry }>): Promise<void> {
    const tail = this.tail;
    this.tail = null;
    if (tail && rows.length <= ROWS_PER_INSERT) {
      try {
        this.tail = await insertChunk(this.dataSource.manager, rows, tail, new Date(), { lockInStatement: true });
        return;
      } catch (error) {
        if (!isChainClash(error)) throw error;
      }
    }
    this.tail = await this.dataSource.transaction((manager) => insertChained(manager, rows));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.flush(batch.flatMap((b) => b.rows));
        for (const waiter of batch) waiter.resolve();
        this.tidySoon();
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.flushing = null;
  }
}

// One statement per this many rows keeps a single insert's memory modest.
const ROWS_PER_INSERT = 2000;

interface ChainPosition {
  readonly seq: number;
  readonly hash: string;
}

/** Another writer took the sequence number this flush expected to be next. */
function isChainClash(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return driverError.code === '23505' && driverError.constraint === 'audit_event_pkey';
}

async function insertChained(manager: EntityManager, rows: Array<{ actor: AuditActor; entry: AuditEntry }>): Promise<ChainPosition> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  const last: Array<{ seq: string; hash: string }> = await manager.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
  let position = { seq: last.length > 0 ? Number(last[0].seq) : 0, hash: last.length > 0 ? last[0].hash : GENESIS_HASH };
  const flushedAt = new Date();
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    position = await insertChunk(manager, rows.slice(start, start + ROWS_PER_INSERT), position, flushedAt);
  }
  return position;
}

function insertText(lockInStatement: boolean): string {
  return `${lockInStatement ? 'WITH chain AS (SELECT pg_advisory_xact_lock($20::bigint) AS locked) ' : ''}INSERT INTO audit_event (seq, occurred_at, request_id, actor_sub, actor_name, actor_agency_code, actor_roles, action,
     child_id, record_id, record_agency_id, outcome, grounds, purpose, query, result_ids, reviewable, prev_hash, hash)
   SELECT seq, occurred_at, request_id, actor_sub, actor_name, actor_agency_code, actor_roles::text[], action,
     child_id, record_id, record_agency_id, outcome, grounds, purpose, query, result_ids::uuid[], reviewable, prev_hash, hash
   FROM ${lockInStatement ? 'chain, ' : ''}unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
     $9::uuid[], $10::uuid[], $11::uuid[], $12::text[], $13::jsonb[], $14::jsonb[], $15::jsonb[], $16::text[], $17::bool[], $18::text[], $19::text[])
     AS t(seq, occurred_at, request_id, actor_sub, actor_name, actor_agency_code, actor_roles, action,
          child_id, record_id, record_agency_id, outcome, grounds, purpose, query, result_ids, reviewable, prev_hash, hash)`;
}
const INSERT = new PreparedStatement(insertText(false));
const INSERT_LOCKING = new PreparedStatement(insertText(true));

/** A nested array as a literal, so ragged per-row arrays can travel inside one unnest() column. */
function nestedLiteral(values: readonly string[] | null): string | null {
  return values === null ? null : arrayLiteral(values);
}

/** Hashes each row onto the chain and inserts the chunk as column arrays: one statement, 19 parameters. */
async function insertChunk(
  manager: EntityManager,
  rows: Array<{ actor: AuditActor; entry: AuditEntry }>,
  from: ChainPosition,
  flushedAt: Date,
  // On its own (outside a transaction) the statement takes the chain lock itself, so it cannot
  // slip between another writer's read of the tail and that writer's insert.
  options: { lockInStatement?: boolean } = {},
): Promise<ChainPosition> {
  let seq = from.seq;
  let prevHash = from.hash;
  const columns: Array<Array<string | number | boolean | null>> = Array.from({ length: COLUMNS }, () => []);
  for (const { actor, entry } of rows) {
    seq += 1;
    const content: AuditContent = {
      seq,
      occurredAt: (actor.now ?? flushedAt).toISOString(),
      requestId: actor.requestId,
      actorSub: actor.viewer.sub,
      actorName: actor.viewer.name,
      actorAgencyCode: actor.viewer.agencyCode,
      actorRoles: [...actor.viewer.roles],
      action: entry.action,
      childId: asStoredUuid(entry.childId),
      recordId: asStoredUuid(entry.recordId),
      recordAgencyId: asStoredUuid(entry.recordAgencyId),
      outcome: entry.outcome,
      grounds: asStoredJson(entry.grounds ?? []),
      purpose: asStoredJson(entry.purpose ?? null),
      query: asStoredJson(entry.query ?? null),
      resultIds: entry.resultIds ? entry.resultIds.map((id) => id.toLowerCase()) : null,
      reviewable: entry.reviewable ?? false,
    };
    const hash = chainHash(prevHash, content);
    const values = [
      content.seq, content.occurredAt, content.requestId, content.actorSub, content.actorName, content.actorAgencyCode,
      nestedLiteral(content.actorRoles), content.action, content.childId, content.recordId, content.recordAgencyId, content.outcome,
      JSON.stringify(content.grounds), JSON.stringify(content.purpose), JSON.stringify(content.query), nestedLiteral(content.resultIds),
      content.reviewable, prevHash, hash,
    ];
    values.forEach((value, i) => columns[i].push(value));
    prevHash = hash;
  }
  const literals = columns.map(arrayLiteral);
  if (options.lockInStatement) await runPrepared(manager, INSERT_LOCKING, [...literals, CHAIN_LOCK]);
  else await runPrepared(manager, INSERT, literals);
  return { seq, hash: prevHash };
}
