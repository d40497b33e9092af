import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
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

/**
 * Appends audit events to the hash chain. Reads are batched across concurrent requests into
 * one transaction (group commit); writes that must commit with their data use `appendWithin`.
 */
export class AuditWriter {
  private queue: { rows: Array<{ actor: AuditActor; entry: AuditEntry }>; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

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
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.dataSource.transaction((manager) => insertChained(manager, batch.flatMap((b) => b.rows)));
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.flushing = null;
  }
}

// Stays well inside PostgreSQL's 65,535 bind parameters per statement.
const ROWS_PER_INSERT = 2000;

async function insertChained(manager: EntityManager, rows: Array<{ actor: AuditActor; entry: AuditEntry }>): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  const last: Array<{ seq: string; hash: string }> = await manager.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
  let position = { seq: last.length > 0 ? Number(last[0].seq) : 0, hash: last.length > 0 ? last[0].hash : GENESIS_HASH };
  const flushedAt = new Date();
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    position = await insertChunk(manager, rows.slice(start, start + ROWS_PER_INSERT), position, flushedAt);
  }
}

async function insertChunk(
  manager: EntityManager,
  rows: Array<{ actor: AuditActor; entry: AuditEntry }>,
  from: { seq: number; hash: string },
  flushedAt: Date,
): Promise<{ seq: number; hash: string }> {
  let seq = from.seq;
  let prevHash = from.hash;
  const params: unknown[] = [];
  const tuples: string[] = [];
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
    const base = params.length;
    tuples.push(`(${Array.from({ length: COLUMNS }, (_, i) => `$${base + i + 1}`).join(', ')})`);
    params.push(
      content.seq, content.occurredAt, content.requestId, content.actorSub, content.actorName, content.actorAgencyCode,
      content.actorRoles, content.action, content.childId, content.recordId, content.recordAgencyId, content.outcome,
      JSON.stringify(content.grounds), JSON.stringify(content.purpose), JSON.stringify(content.query), content.resultIds,
      content.reviewable, prevHash, hash,
    );
    prevHash = hash;
  }
  await manager.query(
    `INSERT INTO audit_event (seq, occurred_at, request_id, actor_sub, actor_name, actor_agency_code, actor_roles, action,
       child_id, record_id, record_agency_id, outcome, grounds, purpose, query, result_ids, reviewable, prev_hash, hash)
     VALUES ${tuples.join(', ')}`,
    params,
  );
  return { seq, hash: prevHash };
}
