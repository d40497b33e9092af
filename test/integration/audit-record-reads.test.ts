/**
 * "Who has seen this record?" (migration AuditReadsByChild): reads are found through the children
 * the record has been filed under, now and before, so a record that moved to another child (a
 * newer version naming that child, or a merge) keeps every read made of it; events of other kinds
 * naming it are found through the index on `result_ids`, which leaves reads out.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { RELEASE_ACTIONS } from '../../src/access/release-audit';
import { listAuditEvents } from '../../src/modules/audit/audit-events';
import { AuditWriter } from '../../src/modules/audit/audit-writer';
import { createChild, createCounty, createOpenEnquiry, createRecord, nhsNumberFor, type County } from '../factories';
import { startHub, type Hub } from '../support/harness';
import { incident, submit } from './submit-support';

const EVENTS = `query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 100) {
  edges { node { action actorSub childId recordId resultIds } } } }`;
const READ = `query($id: ID!) { record(id: $id, purpose: { reason: "Checking the incident before a strategy discussion" }) { id } }`;
const PAGE = `query($id: ID!) { child(id: $id) { records(purpose: { reason: "Reviewing the child's records before a visit" }) { edges { node { id } } } } }`;
const MERGE = `mutation($survivorId: ID!, $duplicateId: ID!, $reason: String!) {
  mergeChildren(survivorId: $survivorId, duplicateId: $duplicateId, reason: $reason) { survivorId } }`;

interface EventSeen { action: string; actorSub: string; childId: string | null; recordId: string | null; resultIds: string[] | null }

describe('audit trail: every read of a record, whichever child it was filed under', () => {
  let hub: Hub;
  let county: County;
  let feed: string;
  let nhsSerial = 31_000;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    feed = hub.token('NPOL', ['INTEGRATION'], 'npol-rms');
  });
  afterAll(() => hub.stop());

  const officer = (sub: string) => hub.token('NPOL', ['PRACTITIONER'], sub);

  /** The events a DPO finds for the record. */
  const eventsNaming = async (recordId: string): Promise<EventSeen[]> => {
    const res = await hub.gql<{ auditEvents: { edges: Array<{ node: EventSeen }> } }>(EVENTS, { filter: { recordId } }, hub.token('NCSC', ['DPO'], 'dpo-reads'));
    expect(res.errors).toBeUndefined();
    return res.data!.auditEvents.edges.map((e) => e.node);
  };
  /** Those by one actor, as `action@childId`, sorted. */
  const readsBy = async (recordId: string, actorSub: string): Promise<string[]> =>
    (await eventsNaming(recordId)).filter((e) => e.actorSub === actorSub).map((e) => `${e.action}@${e.childId}`).sort();

  /** A page of the child's records read by `sub`: one event naming them all (and no single record). */
  const readPage = async (childId: string, sub: string, expected: string[]): Promise<void> => {
    const page = await hub.gql<{ child: { records: { edges: Array<{ node: { id: string } }> } } | null }>(PAGE, { id: childId }, officer(sub));
    expect(page.errors).toBeUndefined();
    expect(page.data?.child?.records.edges.map((e) => e.node.id).sort()).toEqual([...expected].sort());
  };
  /** One record read alone by `sub`: an event naming the record in its recordId. */
  const readOne = async (recordId: string, sub: string): Promise<void> => {
    const res = await hub.gql<{ record: { id: string } | null }>(READ, { id: recordId }, officer(sub));
    expect(res.errors).toBeUndefined();
    expect(res.data?.record?.id).toBe(recordId);
  };
  /** The children the record has left, as record_child_move holds them. */
  const movesOf = async (recordId: string): Promise<string[]> =>
    (await hub.sql<{ child_id: string }>(`SELECT child_id FROM record_child_move WHERE record_id = $1 ORDER BY child_id`, [recordId])).map((r) => r.child_id);

  it('finds reads made before and after a newer version filed the record under another child, and no read of another record', async () => {
    const [nhsA, nhsB] = [nhsNumberFor(nhsSerial++), nhsNumberFor(nhsSerial++)];
    const original = incident('MOVE-1', nhsA);
    const [moving, stays] = (await submit(hub, feed, [original, incident('MOVE-2', nhsA)])).results;
    const [other] = (await submit(hub, feed, [incident('MOVE-3', nhsB)])).results;
    const [childA, childB] = [moving.childId!, other.childId!];
    expect(stays.childId).toBe(childA);
    expect(childB).not.toBe(childA);

    // Under A: a page holding both of A's records (one event naming both), and the record alone.
    await readPage(childA, 'reader-move', [moving.recordId!, stays.recordId!]);
    await readOne(moving.recordId!, 'reader-move');
    await readOne(stays.recordId!, 'reader-other');

    const [updated] = (await submit(hub, feed, [{ ...original, child: incident('MOVE-1', nhsB).child, summary: 'Incident MOVE-1, filed under the right child' }])).results;
    expect(updated).toMatchObject({ status: 'UPDATED', version: 2, recordId: moving.recordId, childId: childB });
    expect(await movesOf(moving.recordId!)).toEqual([childA]);

    await readPage(childB, 'reader-move', [moving.recordId!, other.recordId!]);
    await readOne(moving.recordId!, 'reader-move');

    expect(await readsBy(moving.recordId!, 'reader-move')).toEqual(
      [`RECORD_LIST@${childA}`, `RECORD_READ@${childA}`, `RECORD_LIST@${childB}`, `RECORD_READ@${childB}`].sort());
    // The pages name the record only among others: nothing but its children finds them.
    const pages = (await eventsNaming(moving.recordId!)).filter((e) => e.action === 'RECORD_LIST');
    expect(pages.map((e) => [e.recordId, e.resultIds?.length])).toEqual([[null, 2], [null, 2]]);
    // The read of A's other record is in the trail, under A, and is not a read of this one.
    expect(await readsBy(stays.recordId!, 'reader-other')).toEqual([`RECORD_READ@${childA}`]);
    expect((await eventsNaming(moving.recordId!)).every((e) => e.actorSub !== 'reader-other' && (e.resultIds ?? []).includes(moving.recordId!))).toBe(true);
  });

  it('finds reads of a duplicate child\'s record made before the merge and under the survivor after it', async () => {
    const survivor = await createChild(hub);
    const duplicate = await createChild(hub, { nhsNumber: null });
    const kept = await createRecord(hub, { agencyId: county.police.id, childId: survivor.id });
    const [first, second] = [
      await createRecord(hub, { agencyId: county.police.id, childId: duplicate.id }),
      await createRecord(hub, { agencyId: county.police.id, childId: duplicate.id }),
    ];
    await readPage(duplicate.id, 'reader-merge', [first.id, second.id]);

    const merged = await hub.gql(MERGE, { survivorId: survivor.id, duplicateId: duplicate.id, reason: 'Same child recorded twice by the police' },
      hub.token('NCSC', ['MANAGER'], 'csc-manager'));
    expect(merged.errors).toBeUndefined();
    expect(await movesOf(first.id)).toEqual([duplicate.id]);
    expect(await movesOf(second.id)).toEqual([duplicate.id]);

    await readPage(survivor.id, 'reader-merge', [kept.id, first.id, second.id]);
    expect(await readsBy(first.id, 'reader-merge')).toEqual([`RECORD_LIST@${duplicate.id}`, `RECORD_LIST@${survivor.id}`].sort());
    expect(await readsBy(kept.id, 'reader-merge')).toEqual([`RECORD_LIST@${survivor.id}`]);
  });

  it('finds a decision that relied on the record, an event that releases nothing', async () => {
    const child = await createChild(hub);
    const [relied, alongside] = [
      await createRecord(hub, { agencyId: county.police.id, childId: child.id }),
      await createRecord(hub, { agencyId: county.health.id, childId: child.id }, { category: 'HEALTH_CONTACT' }),
    ];
    const enquiry = await createOpenEnquiry(hub, { childIds: [child.id], openedByAgencyId: county.social.id });
    const decided = await hub.gql(`mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }`, { input: {
      enquiryId: enquiry.id, outcome: 'NO_FURTHER_ACTION', reliedOnRecordIds: [relied.id, alongside.id],
      rationale: 'The police incident and the health contact together show the family is coping with support.',
      sharing: [{ recipient: 'NPOL', shared: false, reason: 'Nothing new to share with the police' }] } }, hub.token('NCSC', ['MANAGER'], 'decider'));
    expect(decided.errors).toBeUndefined();

    const events = (await eventsNaming(relied.id)).map((e) => ({ action: e.action, actorSub: e.actorSub, childId: e.childId, recordId: e.recordId }));
    expect(events).toEqual([{ action: 'ENQUIRY_DECISION', actorSub: 'decider', childId: child.id, recordId: null }]);
  });

  it('leaves exactly the release actions out of the index on result_ids', async () => {
    const [{ def }] = await hub.sql<{ def: string }>(`SELECT pg_get_indexdef('audit_event_result_ids_idx'::regclass) AS def`);
    expect(def).toContain(' WHERE ');
    const predicate = def.slice(def.indexOf(' WHERE ') + ' WHERE '.length);
    expect(predicate).toMatch(/\(action\)::text <> ALL/);
    const named = [...predicate.matchAll(/'([^']*)'/g)].map((m) => m[1]);
    expect(named.sort()).toEqual([...RELEASE_ACTIONS].sort());
  });

  it('finds the events of a record through indexes alone, never reading the trail whole', async () => {
    // A trail shaped like a live one: mostly pages read, each of one child among many.
    const writer = new AuditWriter(hub.dataSource);
    try {
      await writer.append({ requestId: 'trail-shape', viewer: { sub: 'portal-reader', name: 'Portal Reader', agencyCode: 'NPOL', roles: ['PRACTITIONER'] } },
        Array.from({ length: 2000 }, () => ({ action: 'RECORD_LIST', outcome: 'FULL' as const, childId: randomUUID(), recordAgencyId: county.police.id,
          resultIds: [randomUUID(), randomUUID()], grounds: [{ kind: 'OWNER', id: county.police.id }] })));
    } finally {
      await writer.close();
    }
    await hub.sql(`ANALYZE audit_event`);
    // Without sequential or plain index scans, only bitmap scans of indexes matching each arm of
    // the filter remain; an arm no index serves leaves PostgreSQL a sequential scan of audit_event.
    const plan = await hub.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL enable_seqscan = off`);
      await m.query(`SET LOCAL enable_indexscan = off`);
      let explained: unknown;
      const explaining = {
        async query(sql: string, params: unknown[]) {
          [{ 'QUERY PLAN': explained }] = await m.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
          return [];
        },
      } as unknown as EntityManager;
      await listAuditEvents(explaining, { kind: 'ALL' }, { recordId: randomUUID() }, {});
      return explained;
    });
    const nodes: Array<Record<string, unknown>> = [];
    const walk = (node: Record<string, unknown>) => {
      nodes.push(node);
      for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
    };
    walk((plan as Array<{ Plan: Record<string, unknown> }>)[0].Plan);
    expect(nodes.filter((n) => n['Relation Name'] === 'audit_event').map((n) => n['Node Type'])).toEqual(['Bitmap Heap Scan']);
    const indexes = nodes.map((n) => n['Index Name']).filter((name): name is string => typeof name === 'string' && name.startsWith('audit_event_'));
    expect(new Set(indexes)).toEqual(new Set(['audit_event_record_seq_idx', 'audit_event_result_ids_idx', 'audit_event_child_seq_idx']));
  });
});
