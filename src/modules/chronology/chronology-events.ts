import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { PreparedStatement, runPrepared } from '../../db/prepared';
import type { AgencyRef } from '../../access/views';
import type { RequestContext } from '../../server/context';
import { perRequest, perRequestKey } from '../../server/per-request';

export const EVENT_KINDS = [
  'ENQUIRY', 'RESEARCH_REQUESTED', 'RESEARCH_ANSWERED', 'DECISION', 'LAWFUL_BASIS', 'CONSENT', 'CONSENT_WITHDRAWN', 'STRATEGY_DISCUSSION',
  'ENQUIRY_CLOSED',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** A front-door step in a child's history. Summaries name the step, never free text such as the concern. */
export interface ChronologyEvent {
  readonly kind: EventKind;
  readonly id: string;
  readonly at: Date;
  readonly agency: AgencyRef;
  readonly summary: string;
}

interface EventRow { child_id: string; kind: EventKind; id: string; at: Date; agency_id: string; agency_code: string; agency_name: string; agency_kind: AgencyRef['kind']; summary: string }

const EVENTS_OF_CHILDREN = new PreparedStatement(
  `WITH ev AS (
     SELECT ec.child_id, 'ENQUIRY' AS kind, e.id, e.received_at AS at, e.opened_by_agency_id AS agency_id,
       'Contact received' || coalesce(' (' || e.rag_rating || ')', '') || coalesce(', referral source ' || e.referral_source, '')
         || CASE WHEN e.referrals_in_last_12_months > 0 THEN ', re-referral within 12 months' ELSE '' END AS summary
     FROM enquiry e JOIN enquiry_child ec ON ec.enquiry_id = e.id WHERE ec.child_id = ANY($1::uuid[])
     UNION ALL
     SELECT rr.child_id, 'RESEARCH_REQUESTED', rr.id, rr.requested_at, e.opened_by_agency_id, 'Research requested from ' || a.name
     FROM research_request rr JOIN enquiry e ON e.id = rr.enquiry_id JOIN agency a ON a.id = rr.agency_id WHERE rr.child_id = ANY($1::uuid[])
     UNION ALL
     SELECT rr.child_id, 'RESEARCH_ANSWERED', rr.id, rr.answered_at, rr.agency_id,
       CASE WHEN rr.nothing_held THEN 'Research answered: nothing held'
            ELSE 'Research answered with ' || (SELECT count(*) FROM research_answer_record x WHERE x.request_id = rr.id) || ' record(s)' END
     FROM research_request rr WHERE rr.child_id = ANY($1::uuid[]) AND rr.answered_at IS NOT NULL
     UNION ALL
     SELECT ec.child_id, 'DECISION', d.id, d.decided_at, d.decided_by_agency_id, 'Decision: ' || d.outcome
     FROM enquiry_decision d JOIN enquiry_child ec ON ec.enquiry_id = d.enquiry_id WHERE ec.child_id = ANY($1::uuid[])
     UNION ALL
     SELECT b.child_id, 'LAWFUL_BASIS', b.id, b.starts_at, b.recorded_by_agency_id, 'Lawful basis recorded: ' || b.kind
     FROM lawful_basis b WHERE b.child_id = ANY($1::uuid[])
     UNION ALL
     SELECT k.child_id, 'CONSENT', k.id, k.given_at, k.recorded_by_agency_id, 'Consent given by ' || lower(k.given_by) || ' for ' || array_to_string(k.recipient_agency_codes, ', ')
     FROM consent k WHERE k.child_id = ANY($1::uuid[])
     UNION ALL
     SELECT k.child_id, 'CONSENT_WITHDRAWN', k.id, k.withdrawn_at, k.recorded_by_agency_id, 'Consent withdrawn'
     FROM consent k WHERE k.child_id = ANY($1::uuid[]) AND k.withdrawn_at IS NOT NULL
     UNION ALL
     SELECT ec.child_id, 'STRATEGY_DISCUSSION', s.id, s.held_at, e.opened_by_agency_id,
       CASE WHEN s.status = 'FINAL' THEN 'Strategy discussion held' ELSE 'Strategy discussion (draft)' END
     FROM strategy_discussion s JOIN enquiry e ON e.id = s.enquiry_id JOIN enquiry_child ec ON ec.enquiry_id = s.enquiry_id
     WHERE ec.child_id = ANY($1::uuid[])
     UNION ALL
     SELECT ec.child_id, 'ENQUIRY_CLOSED', e.id, e.closed_at, e.closed_by_agency_id, 'Enquiry closed'
     FROM enquiry e JOIN enquiry_child ec ON ec.enquiry_id = e.id WHERE ec.child_id = ANY($1::uuid[]) AND e.closed_at IS NOT NULL)
   SELECT ev.*, a.code AS agency_code, a.name AS agency_name, a.kind AS agency_kind FROM ev JOIN agency a ON a.id = ev.agency_id`,
);

/** Every front-door step for a set of children, in one statement. */
async function eventsByChild(manager: EntityManager, childIds: readonly string[]): Promise<Map<string, ChronologyEvent[]>> {
  const rows = await runPrepared<EventRow>(manager, EVENTS_OF_CHILDREN, [childIds]);
  const byChild = new Map<string, ChronologyEvent[]>(childIds.map((id) => [id, []]));
  for (const row of rows) {
    byChild.get(row.child_id)?.push({
      kind: row.kind, id: row.id, at: row.at, summary: row.summary,
      agency: { id: row.agency_id, code: row.agency_code, name: row.agency_name, kind: row.agency_kind },
    });
  }
  return byChild;
}

const EVENTS = perRequestKey<DataLoader<string, ChronologyEvent[]>>('chronology events');

/** The front-door steps of a child, batched with every other child asked about in the same tick. */
export function frontDoorEvents(ctx: RequestContext, childId: string): Promise<ChronologyEvent[]> {
  return perRequest(ctx, EVENTS, () => new DataLoader(async (ids: readonly string[]) => {
    const found = await eventsByChild(ctx.services.dataSource.manager, ids);
    return ids.map((id) => found.get(id) ?? []);
  })).load(childId);
}
