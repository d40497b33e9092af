import type { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, pageSize, type PageArgs } from '../../access/pagination';
import type { AuditScope } from '../../policy/grounds-admin';
import { badField } from '../../server/errors';
import { isUuid } from '../../domain/identifiers';
import { RELEASE_ACTIONS } from '../../access/release-audit';
import { auditRowColumns, type AuditRow } from './audit-row';
import { canonicalJson } from './hash';
import type { AuditEvent, AuditEventFilter, AuditGround } from './audit.types';

function groundsOf(value: unknown): AuditGround[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((g): g is { kind: string; id: string } => typeof g === 'object' && g !== null && typeof g.kind === 'string' && typeof g.id === 'string')
    .map((g) => ({ kind: g.kind, id: g.id }));
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    seq: row.seq,
    occurredAt: row.occurred_at,
    requestId: row.request_id,
    actorSub: row.actor_sub,
    actorName: row.actor_name,
    actorAgencyCode: row.actor_agency_code,
    actorRoles: row.actor_roles,
    action: row.action,
    childId: row.child_id,
    recordId: row.record_id,
    recordAgencyId: row.record_agency_id,
    outcome: row.outcome,
    grounds: groundsOf(row.grounds),
    purpose: row.purpose ? { enquiryId: row.purpose.enquiryId ?? null, reason: row.purpose.reason ?? null } : null,
    query: row.query === null ? null : canonicalJson(row.query),
    resultIds: row.result_ids,
    reviewable: row.reviewable,
  };
}

const RELEASES = `(${RELEASE_ACTIONS.map((action) => `'${action}'`).join(', ')})`;

/**
 * Events naming a record, by id (like the entities of a FHIR AuditEvent, one event may list
 * several). An event that released it names it among its child's records, and is found through
 * the children the record has been filed under (the (child_id, seq) index); any other event
 * naming it, through the index on `result_ids`, which holds only those (migrations
 * AuditReadsByChild and AuditIndexWithoutReads). Each arm is an index scan, so the trail is never
 * read whole.
 */
function namesRecord(p: string): string {
  return `(e.record_id = ${p}::uuid
    OR (e.result_ids @> ARRAY[${p}::uuid] AND e.action NOT IN ${RELEASES})
    OR (e.child_id = ANY (ARRAY(SELECT r.child_id FROM shared_record r WHERE r.id = ${p}::uuid
                                UNION SELECT m.child_id FROM record_child_move m WHERE m.record_id = ${p}::uuid))
        AND e.action IN ${RELEASES} AND e.result_ids @> ARRAY[${p}::uuid]))`;
}

/**
 * Audit events in the caller's scope, newest first, keyset-paged on seq (the primary key, or the
 * (record_agency_id, seq), (child_id, seq), (record_id, seq), (actor_sub, seq) and (action, seq) indexes).
 */
export async function listAuditEvents(
  manager: EntityManager,
  scope: Exclude<AuditScope, null>,
  filter: AuditEventFilter | null,
  page: PageArgs,
): Promise<{ nodes: AuditEvent[]; cursors: string[]; hasNextPage: boolean }> {
  const size = pageSize(page.first);
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (scope.kind === 'OTHERS_ON_OWN_RECORDS') {
    add((p) => `e.record_agency_id = ${p}`, scope.agencyId);
    add((p) => `e.actor_agency_code IS DISTINCT FROM ${p}`, scope.agencyCode);
  }
  for (const field of ['childId', 'recordId'] as const) {
    const value = filter?.[field];
    if (!value) continue;
    if (!isUuid(value)) throw badField(`filter.${field}`, 'is not an id');
    if (field === 'childId') add((p) => `e.child_id = ${p}`, value);
    else add(namesRecord, value);
  }
  if (filter?.actorSub) add((p) => `e.actor_sub = ${p}`, filter.actorSub);
  if (filter?.action) add((p) => `e.action = ${p}`, filter.action.trim().toUpperCase());
  if (filter?.from && filter?.to && filter.from >= filter.to) throw badField('filter.to', 'must be after filter.from');
  if (filter?.from) add((p) => `e.occurred_at >= ${p}`, filter.from);
  if (filter?.to) add((p) => `e.occurred_at < ${p}`, filter.to);
  if (page.after) {
    const [seq] = decodeCursor(page.after);
    if (typeof seq !== 'string' || !/^\d{1,18}$/.test(seq)) throw badField('after', 'is not a cursor this API issued');
    add((p) => `e.seq < ${p}::bigint`, seq);
  }
  params.push(size + 1);
  const rows: AuditRow[] = await manager.query(
    `SELECT ${auditRowColumns('e')}
     FROM audit_event e ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY e.seq DESC LIMIT $${params.length}`,
    params,
  );
  const nodes = rows.slice(0, size).map(toAuditEvent);
  return { nodes, cursors: nodes.map((n) => encodeCursor([n.seq])), hasNextPage: rows.length > size };
}
