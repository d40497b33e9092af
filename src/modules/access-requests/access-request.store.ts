import type { EntityManager } from 'typeorm';
import type { AgencyKind } from '../../domain/vocabulary';
import type { Purpose } from '../../access/purpose';
import { inForce } from '../../policy/in-force';
import type { AccessRequest, AccessRequestStatus } from './access-request.types';
import { microsSql } from '../../access/time-keyset';

interface AgencyJson { id: string; code: string; name: string; kind: AgencyKind }

export interface AccessRequestRow {
  id: string;
  record_id: string;
  child_id: string;
  owner: AgencyJson;
  requester: AgencyJson;
  requester_sub: string;
  requester_name: string;
  purpose: Purpose;
  status: AccessRequestStatus;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  expires_at: Date | null;
  created_at: Date;
  /** created_at in microseconds since the epoch: an exact keyset cursor. */
  created_us: string;
}

export const SELECT_ACCESS_REQUEST = `
  SELECT r.id, r.record_id, r.child_id, r.requester_sub, r.requester_name, r.purpose, r.status, r.decided_by_name, r.decided_at,
    r.decision_reason, r.expires_at, r.created_at, ${microsSql('r.created_at')} AS created_us,
    json_build_object('id', o.id, 'code', o.code, 'name', o.name, 'kind', o.kind) AS owner,
    json_build_object('id', q.id, 'code', q.code, 'name', q.name, 'kind', q.kind) AS requester
  FROM access_request r JOIN agency o ON o.id = r.owner_agency_id JOIN agency q ON q.id = r.requester_agency_id`;

export async function accessRequestById(manager: EntityManager, id: string): Promise<AccessRequestRow | null> {
  const rows: AccessRequestRow[] = await manager.query(`${SELECT_ACCESS_REQUEST} WHERE r.id = $1`, [id]);
  return rows[0] ?? null;
}

export function toAccessRequest(row: AccessRequestRow, now: Date): AccessRequest {
  return {
    id: row.id,
    recordId: row.record_id,
    childId: row.child_id,
    ownerAgency: row.owner,
    requesterAgency: row.requester,
    requesterName: row.requester_name,
    purpose: { enquiryId: row.purpose.enquiryId ?? null, reason: row.purpose.reason ?? null },
    status: row.status,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    grantActive: row.status === 'APPROVED' && row.decided_at !== null && row.expires_at !== null && inForce(now, row.decided_at, row.expires_at),
  };
}
