/**
 * An audit_event row as read back, for the DPO's listing and for the chain verifier alike. The
 * columns are cast so that every value comes back exactly as the writer hashed it.
 */
export interface AuditRow {
  seq: string;
  id: string;
  occurred_at: Date;
  request_id: string;
  actor_sub: string;
  actor_name: string | null;
  actor_agency_code: string | null;
  actor_roles: string[];
  action: string;
  child_id: string | null;
  record_id: string | null;
  record_agency_id: string | null;
  outcome: string;
  grounds: unknown;
  purpose: { enquiryId?: string | null; reason?: string | null } | null;
  query: unknown;
  result_ids: string[] | null;
  reviewable: boolean;
}

/** The select list for AuditRow, from audit_event under `alias`. */
export function auditRowColumns(alias: string): string {
  const a = alias;
  return `${a}.seq::text AS seq, ${a}.id, ${a}.occurred_at, ${a}.request_id, ${a}.actor_sub, ${a}.actor_name, ${a}.actor_agency_code,
    ${a}.actor_roles::text[] AS actor_roles, ${a}.action, ${a}.child_id::text AS child_id, ${a}.record_id::text AS record_id,
    ${a}.record_agency_id::text AS record_agency_id, ${a}.outcome, ${a}.grounds, ${a}.purpose, ${a}.query,
    ${a}.result_ids::text[] AS result_ids, ${a}.reviewable`;
}
