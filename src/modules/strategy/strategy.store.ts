import type { EntityManager } from 'typeorm';
import type { AgencyKind } from '../../domain/vocabulary';
import type { DiscussionStatus, StrategyAction, StrategyDiscussion } from './strategy.types';

interface AgencyJson { id: string; code: string; name: string; kind: AgencyKind }
interface ActionJson { id: string; discussionId: string; description: string; ownerAgency: AgencyJson | null; ownerName: string | null; dueAt: string | null; completedAt: string | null; completionNote: string | null }
interface DiscussionRow {
  id: string; enquiry_id: string; held_at: Date; status: DiscussionStatus; rationale: string | null; decision: string | null; finalised_at: Date | null;
  attendees: Array<{ agency: AgencyJson; role: string; name: string | null }>; records: Array<{ recordId: string; version: number }>; risks: string[]; actions: ActionJson[];
}

const AGENCY_JSON = (alias: string) => `json_build_object('id', ${alias}.id, 'code', ${alias}.code, 'name', ${alias}.name, 'kind', ${alias}.kind)`;

export const ACTION_JSON = `json_build_object('id', x.id, 'discussionId', x.discussion_id, 'description', x.description,
  'ownerAgency', CASE WHEN oa.id IS NULL THEN NULL ELSE ${AGENCY_JSON('oa')} END, 'ownerName', x.owner_name, 'dueAt', x.due_at,
  'completedAt', x.completed_at, 'completionNote', x.completion_note)`;

export function toAction(a: ActionJson, now: Date): StrategyAction {
  const dueAt = a.dueAt ? new Date(a.dueAt) : null;
  const completedAt = a.completedAt ? new Date(a.completedAt) : null;
  return { ...a, dueAt, completedAt, overdue: completedAt === null && dueAt !== null && dueAt < now };
}

async function discussionsWhere(manager: EntityManager, where: 'd.id' | 'd.enquiry_id', ids: readonly string[], now: Date): Promise<StrategyDiscussion[]> {
  const rows: DiscussionRow[] = await manager.query(
    `SELECT d.id, d.enquiry_id, d.held_at, d.status, d.rationale, d.decision, d.finalised_at,
       (SELECT coalesce(json_agg(json_build_object('agency', ${AGENCY_JSON('a')}, 'role', t.role, 'name', t.name) ORDER BY a.code, t.role), '[]')
          FROM strategy_attendee t JOIN agency a ON a.id = t.agency_id WHERE t.discussion_id = d.id) AS attendees,
       (SELECT coalesce(json_agg(json_build_object('recordId', s.record_id, 'version', s.version) ORDER BY s.record_id), '[]')
          FROM strategy_record_shared s WHERE s.discussion_id = d.id) AS records,
       (SELECT coalesce(array_agg(r.description ORDER BY r.description), '{}') FROM strategy_risk r WHERE r.discussion_id = d.id) AS risks,
       (SELECT coalesce(json_agg(${ACTION_JSON} ORDER BY x.due_at NULLS LAST, x.id), '[]')
          FROM strategy_action x LEFT JOIN agency oa ON oa.id = x.owner_agency_id WHERE x.discussion_id = d.id) AS actions
     FROM strategy_discussion d WHERE ${where} = ANY($1::uuid[]) ORDER BY d.held_at, d.id`,
    [ids],
  );
  return rows.map((row) => ({
    id: row.id, enquiryId: row.enquiry_id, heldAt: row.held_at, status: row.status, rationale: row.rationale, decision: row.decision,
    finalisedAt: row.finalised_at, attendees: row.attendees, recordsShared: row.records, risks: row.risks,
    actions: row.actions.map((a) => toAction(a, now)),
  }));
}

/** Discussions with everything recorded at them, for any number of ids in one statement. */
export async function loadDiscussions(manager: EntityManager, ids: readonly string[], now: Date): Promise<Map<string, StrategyDiscussion>> {
  return new Map((await discussionsWhere(manager, 'd.id', ids, now)).map((d) => [d.id, d]));
}

/** The discussions of any number of enquiries, oldest held first, in one statement. */
export async function discussionsOfEnquiries(manager: EntityManager, enquiryIds: readonly string[], now: Date): Promise<Map<string, StrategyDiscussion[]>> {
  const byEnquiry = new Map<string, StrategyDiscussion[]>(enquiryIds.map((id) => [id, []]));
  for (const d of await discussionsWhere(manager, 'd.enquiry_id', enquiryIds, now)) byEnquiry.get(d.enquiryId)?.push(d);
  return byEnquiry;
}
