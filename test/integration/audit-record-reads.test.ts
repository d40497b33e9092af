/**
 * "Who has seen this record?" (migration AuditReadsByChild): reads are found through the children
 * the record has been filed under, now and before, so a record that moved to another child (a
 * newer version naming that child, or a merge) keeps every read made of it; events of other kinds
 * naming it are found through the index on `result_ids`, which leaves reads out.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager, MigrationInterface } from 'typeorm';
import { AuditReadsByChild1732252200000 } from '../../migrations/1732252200000-AuditReadsByChild';
import { AuditIndexWithoutReads1732252300000 } from '../../migrations/1732252300000-AuditIndexWithoutReads';
import { encodeCursor, type PageArgs } from '../../src/access/pagination';
import { RELEASE_ACTIONS } from '../../src/access/release-audit';
import { listAuditEvents } from '../../src/modules/audit/audit-events';
import { verifyAuditChain } from '../../src/modules/audit/chain-verifier';
import type { AuditEventFilter } from '../../src/modules/audit/audit.types';
import { AuditWriter, type AuditEntry } from '../../src/modules/audit/audit-writer';
import type { AuditScope } from '../../src/policy/grounds-admin';
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
type PlanNode = Record<string, unknown>;

/** The two migrations, in the order they run up. */
const MIGRATIONS: MigrationInterface[] = [new AuditReadsByChild1732252200000(), new AuditIndexWithoutReads1732252300000()];

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

  /** A record filed under another child, as a newer version or a merge files it, straight in the database. */
  const move = async (recordId: string, childId: string): Promise<void> => {
    await hub.sql(`UPDATE shared_record SET child_id = $1 WHERE id = $2`, [childId, recordId]);
  };
  /** Appends events as one actor, through the audit writer the hub uses. */
  const append = async (sub: string, agencyCode: string, entries: AuditEntry[]): Promise<void> => {
    const writer = new AuditWriter(hub.dataSource);
    try {
      await writer.append({ requestId: `req-${sub}`, viewer: { sub, name: `Reader ${sub}`, agencyCode, roles: ['PRACTITIONER'] } }, entries);
    } finally {
      await writer.close();
    }
  };
  /** A page of one child's police records read: a release naming the child and the records. */
  const listing = (childId: string, resultIds: string[]): AuditEntry => ({ action: 'RECORD_LIST', outcome: 'FULL', childId, recordAgencyId: county.police.id,
    resultIds, grounds: [{ kind: 'OWNER', id: county.police.id }] });
  /** One such page read by `sub`. */
  const release = (sub: string, agencyCode: string, childId: string, resultIds: string[]): Promise<void> => append(sub, agencyCode, [listing(childId, resultIds)]);
  /** `n` pages read of random children, half by the police and half by social care. */
  const appendTrail = async (n: number): Promise<void> => {
    const pages = () => Array.from({ length: n / 2 }, () => listing(randomUUID(), [randomUUID(), randomUUID()]));
    await append('portal-police', 'NPOL', pages());
    await append('portal-social-care', 'NCSC', pages());
  };
  /** Inserts an event naming records and no child straight into the trail, and rolls it back; resolves to its action. */
  const insertEventRolledBack = async (action: string, resultIds: string[]): Promise<string> => {
    const runner = hub.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const [row] = await runner.query(
        `INSERT INTO audit_event (seq, occurred_at, request_id, actor_sub, actor_roles, action, outcome, result_ids, prev_hash, hash)
         SELECT max(seq) + 1000000, now(), 'req-straight', 'straight-in', '{PRACTITIONER}', $1, 'FULL', $2::uuid[], repeat('0', 64), $3 FROM audit_event
         RETURNING action`,
        [action, resultIds, randomBytes(32).toString('hex')],
      );
      return row.action;
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  };
  /** The actions the index on result_ids leaves out, as its predicate names them. */
  const actionsLeftOutOfIndex = async (): Promise<string[]> => {
    const [{ def }] = await hub.sql<{ def: string }>(`SELECT pg_get_indexdef('audit_event_result_ids_idx'::regclass) AS def`);
    const leftOut = / WHERE .*\(action\)::text <> ALL \(+(ARRAY\[[^\]]*\])/.exec(def);
    return leftOut ? [...leftOut[1].matchAll(/'([^']*)'/g)].map((m) => m[1]).sort() : [];
  };
  /** Every node of the plan PostgreSQL makes for listAuditEvents' query, which is not run. */
  const planOf = async (scope: Exclude<AuditScope, null>, filter: AuditEventFilter, page: PageArgs): Promise<PlanNode[]> => {
    let plan: Array<{ Plan: PlanNode }> = [];
    const explaining = {
      async query(sql: string, params: unknown[]) {
        [{ 'QUERY PLAN': plan }] = await hub.sql<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
        return [];
      },
    } as unknown as EntityManager;
    await listAuditEvents(explaining, scope, filter, page);
    const nodes: PlanNode[] = [];
    const walk = (node: PlanNode) => {
      nodes.push(node);
      for (const child of (node.Plans as PlanNode[] | undefined) ?? []) walk(child);
    };
    walk(plan[0].Plan);
    return nodes;
  };
  /** Runs both migrations up or down, each in a transaction unless it declares it runs without one, as TypeORM runs them. */
  const migrate = async (direction: 'up' | 'down'): Promise<void> => {
    const runner = hub.dataSource.createQueryRunner();
    try {
      for (const migration of direction === 'up' ? MIGRATIONS : [...MIGRATIONS].reverse()) {
        if (migration.transaction === false) {
          await migration[direction](runner);
          continue;
        }
        await runner.startTransaction();
        try {
          await migration[direction](runner);
          await runner.commitTransaction();
        } catch (error) {
          await runner.rollbackTransaction();
          throw error;
        }
      }
    } finally {
      await runner.release();
    }
  };

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
    expect(await actionsLeftOutOfIndex()).toEqual([...RELEASE_ACTIONS].sort());
  });

  it.each([
    ['UPDATE', (recordId: string) => `UPDATE record_child_move SET child_id = record_id WHERE record_id = '${recordId}'`],
    ['DELETE', (recordId: string) => `DELETE FROM record_child_move WHERE record_id = '${recordId}'`],
    ['TRUNCATE', () => `TRUNCATE record_child_move`],
  ])('refuses %s of the moves, which are history', async (_op, statement) => {
    const [from, to] = [await createChild(hub), await createChild(hub)];
    const record = await createRecord(hub, { agencyId: county.police.id, childId: from.id });
    await move(record.id, to.id);
    expect(await movesOf(record.id)).toEqual([from.id]);

    await expect(hub.sql(statement(record.id))).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '42501' }) });
    expect(await movesOf(record.id)).toEqual([from.id]);
  });

  it('refuses, in the database too, a release of records that names no child, and takes other events naming none', async () => {
    const records = [randomUUID()];
    await expect(insertEventRolledBack('RECORD_LIST', records)).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '23514', constraint: 'audit_event_release_names_child' }),
    });
    await expect(insertEventRolledBack('CHILD_SEARCH', records)).resolves.toBe('CHILD_SEARCH');
  });

  it('finds the events of a record through indexes alone, the planner left free, never reading the trail whole', async () => {
    // A trail shaped like a live one: mostly pages read, each of one child among many, by several
    // agencies, and among them the reads of a record under the child it was filed under first and
    // under the one it moved to.
    const [first, then] = [await createChild(hub), await createChild(hub)];
    const record = await createRecord(hub, { agencyId: county.police.id, childId: first.id });
    await appendTrail(1500);
    await release('plan-reader', 'NCSC', first.id, [record.id, randomUUID()]);
    await move(record.id, then.id);
    expect(await movesOf(record.id)).toEqual([first.id]);
    await appendTrail(1500);
    await release('plan-reader', 'NCSC', then.id, [randomUUID(), record.id]);
    await appendTrail(500);
    await hub.sql(`ANALYZE audit_event`);

    const [newest] = await hub.sql<{ seq: string }>(`SELECT max(seq)::text AS seq FROM audit_event WHERE child_id = $1`, [then.id]);
    const cases: Array<[string, Exclude<AuditScope, null>, PageArgs, string[]]> = [
      ['every event', { kind: 'ALL' }, {}, [`RECORD_LIST@${then.id}`, `RECORD_LIST@${first.id}`]],
      ['a manager\'s view', { kind: 'OTHERS_ON_OWN_RECORDS', agencyId: county.police.id, agencyCode: 'NPOL' }, {}, [`RECORD_LIST@${then.id}`, `RECORD_LIST@${first.id}`]],
      ['a later page', { kind: 'ALL' }, { after: encodeCursor([newest.seq]) }, [`RECORD_LIST@${first.id}`]],
    ];
    for (const [what, scope, page, expected] of cases) {
      // Each case finds the record's reads, newest first...
      const found = await listAuditEvents(hub.dataSource.manager, scope, { recordId: record.id }, page);
      expect([what, found.nodes.map((e) => `${e.action}@${e.childId}`)]).toEqual([what, expected]);
      // ...without a sequential scan of the trail, or a walk back along its primary key.
      const nodes = await planOf(scope, { recordId: record.id }, page);
      expect(nodes.some((n) => n['Relation Name'] === 'audit_event')).toBe(true);
      const whole = nodes.filter((n) => (n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'audit_event') || n['Index Name'] === 'audit_event_pkey');
      expect([what, whole.map((n) => `${n['Node Type']} ${n['Index Name'] ?? n['Relation Name']}`)]).toEqual([what, []]);
    }
  });

  it('verify-audit names a read a search by record could not find, and passes once the move is recorded', async () => {
    const [from, to] = [await createChild(hub), await createChild(hub)];
    const record = await createRecord(hub, { agencyId: county.police.id, childId: from.id });
    expect((await verifyAuditChain(hub.dataSource)).ok).toBe(true);
    await release('reader-verify', 'NPOL', from.id, [record.id]);
    // A move that got past the trigger (as changes replayed by replication do): the read under
    // `from` is now out of the lookup's reach, though the chain itself is intact.
    await hub.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`UPDATE shared_record SET child_id = $1 WHERE id = $2`, [to.id, record.id]);
    });
    const [read] = await hub.sql<{ seq: string; prev_hash: string }>(`SELECT seq::text AS seq, prev_hash FROM audit_event WHERE actor_sub = 'reader-verify'`);
    const report = await verifyAuditChain(hub.dataSource);
    const before = String(Number(read.seq) - 1);
    expect(report).toMatchObject({ ok: false, firstBrokenSeq: read.seq, checked: Number(before), lastSeq: before, lastHash: read.prev_hash });
    expect(report.problem).toContain(`record ${record.id} under child ${from.id}`);

    await hub.sql(`INSERT INTO record_child_move (record_id, child_id) VALUES ($1, $2)`, [record.id, from.id]);
    expect(await verifyAuditChain(hub.dataSource)).toMatchObject({ ok: true, problem: null });
    expect((await eventsNaming(record.id)).map((e) => e.childId)).toEqual([from.id]);
  });

  // Last: it takes the two migrations down and up again in this file's database (record_child_move
  // is rebuilt from the trail alone), and, should it fail part-way, leaves it unmigrated.
  it('finds, once migrated, a read made under a child the record left before the migrations existed', async () => {
    await migrate('down');
    expect(await hub.sql(`SELECT to_regclass('record_child_move') AS moves`)).toEqual([{ moves: null }]);
    expect(await actionsLeftOutOfIndex()).toEqual([]);

    const [from, to] = [await createChild(hub), await createChild(hub)];
    const record = await createRecord(hub, { agencyId: county.police.id, childId: from.id });
    await release('reader-backfill', 'NPOL', from.id, [record.id]);
    // No trigger notes the move yet.
    await move(record.id, to.id);
    await release('reader-backfill', 'NPOL', to.id, [record.id]);

    await migrate('up');
    // Only the child it left: a read under its child now is no move.
    expect(await movesOf(record.id)).toEqual([from.id]);
    expect(await readsBy(record.id, 'reader-backfill')).toEqual([`RECORD_LIST@${from.id}`, `RECORD_LIST@${to.id}`].sort());
    expect(await actionsLeftOutOfIndex()).toEqual([...RELEASE_ACTIONS].sort());
  });
});
