import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { pageSize } from '../../access/pagination';
import { afterTimeCursor, microsSql, timeCursor } from '../../access/time-keyset';
import { badField, notFound } from '../../server/errors';
import type { AuditActor } from '../audit/audit-writer';
import { IDENTITY_LOCK, submitAudit, type SubmitDeps } from '../records/submit.service';
import type { ItemOutcome } from '../records/submit-outcome';
import { hasCompleteDemographics, type ChildClaim } from '../records/submit-validate';
import { fileRecords, lockHeads } from '../records/submit-write';
import { insertChildren, recordLearntIdentifiers, type MatchReason, type NewChild } from './identify';
import { canonicalChildIds } from './canonical-child';
import { closeEntries, revive, type ParkedPayload } from './match-queue-store';
import type { ScoredCandidate } from './match-score';

export interface QueueEntryRow {
  readonly id: string;
  readonly agencyId: string;
  readonly agencyCode: string;
  readonly sourceRef: string;
  readonly reason: MatchReason;
  readonly submittedAt: Date;
  /** submitted_at in microseconds, as text: the cursor's time key. */
  readonly submittedMicros: string;
  readonly payload: ParkedPayload;
  readonly candidates: ScoredCandidate[];
}

const ENTRY_COLUMNS = `q.id, q.agency_id AS "agencyId", a.code AS "agencyCode", q.source_ref AS "sourceRef", q.reason,
  q.submitted_at AS "submittedAt", ${microsSql('q.submitted_at')} AS "submittedMicros", q.payload, q.candidates`;

/** Open entries, oldest first (the MASH works the longest wait first), by keyset. */
export async function openEntries(manager: EntityManager, first: number | null, after: string | null): Promise<{ rows: QueueEntryRow[]; hasNextPage: boolean; totalCount: number }> {
  const size = pageSize(first);
  const params: unknown[] = [];
  const where = [`q.status = 'OPEN'`];
  if (after) where.push(afterTimeCursor(after, 'q.submitted_at', 'q.id', params));
  params.push(size + 1);
  const rows: QueueEntryRow[] = await manager.query(
    `SELECT ${ENTRY_COLUMNS} FROM match_queue q JOIN agency a ON a.id = q.agency_id
     WHERE ${where.join(' AND ')} ORDER BY q.submitted_at, q.id LIMIT $${params.length}`,
    params,
  );
  const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM match_queue WHERE status = 'OPEN'`);
  return { rows: rows.slice(0, size), hasNextPage: rows.length > size, totalCount: n };
}

export function entryCursor(row: QueueEntryRow): string {
  return timeCursor(row.submittedMicros, row.id);
}

export type Choice = { readonly childId: string } | { readonly createNew: true };

/**
 * Links a parked item to a child (or a new child made from its demographics) and files it,
 * together with every other open entry from the same agency describing the same child. The
 * records keep their submitter as author; the resolution is audited as the resolver's.
 */
export async function resolveEntry(deps: SubmitDeps, actor: AuditActor, id: string, choice: Choice): Promise<{ childId: string; agencyId: string; filed: ItemOutcome[] }> {
  return deps.dataSource.transaction('READ COMMITTED', async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [IDENTITY_LOCK]);
    const [entry]: Array<{ agency_id: string; child_key: string; payload: ParkedPayload }> = await manager.query(
      `SELECT agency_id, child_key, payload FROM match_queue WHERE id = $1 AND status = 'OPEN' FOR UPDATE`, [id],
    );
    if (!entry) throw notFound('open match queue entry');
    const claim: ChildClaim = entry.payload.child;

    const created: NewChild[] = [];
    let childId: string;
    if ('childId' in choice) {
      const canonical = (await canonicalChildIds(manager, [choice.childId])).get(choice.childId);
      if (!canonical) throw notFound('child');
      childId = canonical;
    } else {
      if (!hasCompleteDemographics(claim)) throw badField('createNew', 'the item lacks given name, family name, date of birth or gender; link it to an existing child instead');
      const [taken]: Array<{ id: string }> = await manager.query(
        `SELECT id FROM child WHERE nhs_number = $1 OR upn = $2 LIMIT 1`, [claim.nhsNumber, claim.upn],
      );
      if (taken) throw badField('createNew', 'a child with this NHS number or UPN exists; link to it instead');
      childId = randomUUID();
      created.push({ id: childId, claim });
      await insertChildren(manager, entry.agency_id, created);
    }

    const siblings: Array<{ id: string; submitted_by_sub: string; payload: ParkedPayload }> = await manager.query(
      `SELECT id, submitted_by_sub, payload FROM match_queue WHERE agency_id = $1 AND child_key = $2 AND status = 'OPEN' ORDER BY id FOR UPDATE`,
      [entry.agency_id, entry.child_key],
    );
    const heads = await lockHeads(manager, entry.agency_id, siblings.map((s) => s.payload.sourceRef));
    // The author of a version is who submitted it, not who resolved the match.
    const filings = siblings.map((s) => ({ item: revive(s.payload), childId, authorSub: s.submitted_by_sub }));
    const results = await fileRecords(manager, entry.agency_id, actor.viewer.sub, filings, heads);
    const filed: ItemOutcome[] = results.map((result, i) => ({ ...result, sourceRef: siblings[i].payload.sourceRef, matchId: siblings[i].id, errors: [] }));
    const closures = filed.map((f) => ({ id: f.matchId as string, childId, recordId: f.recordId as string }));
    await recordLearntIdentifiers(manager, entry.agency_id, [{ claim, childId }], created);
    await closeEntries(manager, 'RESOLVED', actor.viewer.sub, closures);
    await deps.auditWriter.appendWithin(manager, actor, [
      { action: 'MATCH_RESOLVE', outcome: 'OK', childId, recordAgencyId: entry.agency_id, query: { matchId: id, createNew: created.length > 0, filed: closures.length } },
      ...submitAudit(entry.agency_id, filed),
    ]);
    return { childId, agencyId: entry.agency_id, filed };
  });
}
