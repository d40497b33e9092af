import { newestFirst, pageByKey, type Page, type PageArgs } from '../../access/pagination';
import type { Purpose } from '../../access/purpose';
import type { DecidedRecord, ReleaseOptions } from '../../access/access-layer';
import { mayReadFrontDoorHistory } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { badField } from '../../server/errors';
import { toSharedRecord } from '../records/record.types';
import { frontDoorEvents, type ChronologyEvent } from './chronology-events';
import type { ChronologyEntry, ChronologyFilter } from './chronology.types';

/** An entry with its sort key worked out once, not on every comparison. */
type Item = ({ record: DecidedRecord } | { event: ChronologyEvent }) & { readonly key: [string, string] };

const keyOf = (item: Item): [string, string] => item.key;

/**
 * A child's chronology, newest first: the records the policy lets the caller know of (HIDDEN ones
 * are dropped before counting or paging) merged with the front-door steps, for those who may see
 * them. Keyset cursors, so entries arriving meanwhile neither repeat nor vanish. The statements
 * run are the same for every page: facts, record metadata, events, then content for this page.
 */
export async function chronology(
  ctx: RequestContext, childId: string, purpose: Purpose, filter: ChronologyFilter | null, page: PageArgs, options: ReleaseOptions = {},
): Promise<Page<ChronologyEntry>> {
  if (filter?.from && filter.to && filter.from >= filter.to) throw badField('filter.to', 'must be after filter.from');
  // Before anything is read: a page may hold no record (front-door steps only), yet its purpose is recorded.
  await ctx.access.checkPurpose(purpose, [childId]);
  const codes = filter?.agencyCodes?.map((c) => c.trim().toUpperCase()) ?? null;
  const kinds = filter?.kinds ?? (filter?.categories ? ['RECORD'] : null);
  const wants = (kind: string): boolean => kinds === null || kinds.includes(kind as never);
  const inRange = (at: Date): boolean => (!filter?.from || at >= filter.from) && (!filter?.to || at < filter.to);

  const [records, decided, events] = await Promise.all([
    wants('RECORD') ? ctx.access.decidedRecordsOfChild(childId, { agencyCodes: codes, categories: filter?.categories ?? null, from: filter?.from ?? null, to: filter?.to ?? null }) : [],
    ctx.access.childDecision(childId),
    frontDoorEvents(ctx, childId),
  ]);
  const historyVisible = decided !== null && mayReadFrontDoorHistory(ctx.viewer, decided.decision);
  const items: Item[] = records.map((record) => ({ record, key: [record.meta.occurredAt.toISOString(), `RECORD:${record.meta.id}`] }));
  if (historyVisible) {
    for (const event of events) {
      if (wants(event.kind) && inRange(event.at) && (!codes || codes.includes(event.agency.code))) {
        items.push({ event, key: [event.at.toISOString(), `${event.kind}:${event.id}`] });
      }
    }
  }
  items.sort((a, b) => newestFirst(a.key, b.key));
  const paged = pageByKey(items, keyOf, newestFirst, page);

  const pageRecords = paged.nodes.flatMap((n) => ('record' in n ? [n.record] : []));
  const released = new Map((await ctx.access.release(pageRecords, purpose, 'CHRONOLOGY', options)).map((v) => [v.id, v]));
  const pageEvents = paged.nodes.flatMap((n) => ('event' in n ? [n.event] : []));
  if (pageEvents.length > 0) {
    ctx.pendingAudit.push({ action: 'CHRONOLOGY_EVENTS', outcome: 'OK', childId, purpose, query: { filter, first: page.first, after: page.after }, resultIds: pageEvents.map((e) => e.id) });
  }
  const nodes = paged.nodes.map((n): ChronologyEntry => {
    if ('event' in n) {
      const e = n.event;
      return { kind: e.kind, occurredAt: e.at, agency: e.agency, provenance: { kind: e.kind, id: e.id }, summary: e.summary, visibility: null, category: null, record: null };
    }
    const view = released.get(n.record.meta.id);
    if (!view) throw new Error(`record ${n.record.meta.id} was decided but not released`);
    const full = view.visibility === 'FULL';
    return {
      kind: 'RECORD', occurredAt: view.occurredAt, agency: view.agency, provenance: { kind: 'RECORD', id: view.id },
      summary: full && view.summary !== null ? view.summary : `Information held by ${view.agency.name}`,
      visibility: view.visibility, category: view.category, record: toSharedRecord(view),
    };
  });
  return { ...paged, nodes };
}
