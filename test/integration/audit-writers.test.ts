import fc from 'fast-check';
import { PREPARED_STATEMENT_TIMEOUT_MS } from '../../src/db/prepared';
import { APPEND_PARAMETERS, AuditWriter, type AuditActor } from '../../src/modules/audit/audit-writer';
import { verifyAuditChain } from '../../src/modules/audit/chain-verifier';
import { canonicalJson } from '../../src/modules/audit/hash';
import { startHub, type Hub } from '../support/harness';

/**
 * Several writers append to the one audit chain: the server's group commit, a second server
 * process, and writes that audit inside their own transaction. Each append is one statement in
 * which the database numbers and hashes the rows, so the chain must stay whole however they
 * interleave.
 */
describe('audit chain with several writers', () => {
  let hub: Hub;
  const actor = (sub: string): AuditActor => ({ requestId: `req-${sub}`, viewer: { sub, name: `Tester ${sub}`, agencyCode: 'NCSC', roles: ['MASH_RESEARCHER'] } });
  const entry = (n: number) => ({ action: 'CHILD_SEARCH', outcome: 'OK' as const, query: { n } });

  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(() => hub.stop());

  async function chainState(): Promise<{ ok: boolean; rows: number; maxSeq: number }> {
    const report = await verifyAuditChain(hub.dataSource);
    const [{ rows, max }] = await hub.sql<{ rows: string; max: string | null }>('SELECT count(*) AS rows, max(seq) AS max FROM audit_event');
    return { ok: report.ok, rows: Number(rows), maxSeq: Number(max ?? 0) };
  }

  it('stays one unbroken chain when two writers and in-transaction writes interleave', async () => {
    const before = await chainState();
    const first = new AuditWriter(hub.dataSource);
    const second = new AuditWriter(hub.dataSource);
    const appended: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      appended.push(first.append(actor('a'), [entry(i)]));
      appended.push(second.append(actor('b'), [entry(i), entry(i + 1000)]));
      if (i % 10 === 0) {
        appended.push(hub.dataSource.transaction((manager) => first.appendWithin(manager, actor('c'), [entry(i + 2000)])));
      }
    }
    await Promise.all(appended);
    await Promise.all([first.close(), second.close()]);
    const after = await chainState();
    expect(after.ok).toBe(true);
    expect(after.rows - before.rows).toBe(40 + 80 + 4);
    // No gaps and no repeats: sequence numbers are contiguous.
    expect(after.maxSeq).toBe(after.rows);
  });

  it('appends in one statement whichever writer moved the tail, the database numbering and hashing the rows', async () => {
    const writer = new AuditWriter(hub.dataSource);
    const other = new AuditWriter(hub.dataSource);
    await writer.append(actor('a'), [entry(1)]);
    await other.append(actor('b'), [entry(2)]);

    hub.queries.reset();
    await writer.append(actor('a'), [entry(3), entry(4)]);
    expect(hub.queries.statements).toHaveLength(1);
    expect(hub.queries.statements[0]).toMatch(/audit_append/);
    expect(hub.queries.statements.join('\n')).not.toMatch(/START TRANSACTION|BEGIN|ORDER BY seq/);

    const last = await hub.sql<{ actor_sub: string; query: { n: number } }>('SELECT actor_sub, query FROM audit_event ORDER BY seq DESC LIMIT 3');
    expect(last.map((row) => [row.actor_sub, row.query.n])).toEqual([['a', 4], ['a', 3], ['b', 2]]);
    expect((await chainState()).ok).toBe(true);
  });

  it('sends audit_append its parameters in the order, and as the types, the database declares them', async () => {
    const [fn] = await hub.sql<{ names: string[]; types: string }>(
      `SELECT proargnames AS names, pg_get_function_identity_arguments(oid) AS types FROM pg_proc WHERE proname = 'audit_append'`,
    );
    expect(fn.names).toEqual(APPEND_PARAMETERS.map((p) => p.name));
    const declared = fn.types.split(', ').map((argument) => argument.replace(/^\S+ /, ''));
    const sent = APPEND_PARAMETERS.map((p) => `${{ bool: 'boolean', timestamptz: 'timestamp with time zone' }[p.type] ?? p.type}[]`);
    expect(declared).toEqual(sent);
  });

  it('keeps the chain whole with many requests of one writer appending at once', async () => {
    const before = await chainState();
    const writer = new AuditWriter(hub.dataSource);
    await Promise.all(Array.from({ length: 60 }, (_, i) => writer.append(actor(`w${i % 3}`), [entry(i), entry(i + 100)])));
    await writer.close();
    const after = await chainState();
    expect(after).toEqual({ ok: true, rows: before.rows + 120, maxSeq: before.rows + 120 });
  });

  it('fails only the request whose rows the database refuses when requests share an append', async () => {
    const before = await chainState();
    const writer = new AuditWriter(hub.dataSource);
    // The first append takes the one place in flight; the next three wait and go together.
    const settled = await Promise.allSettled([
      writer.append(actor('a'), [entry(1)]),
      writer.append(actor('b'), [entry(2)]),
      writer.append(actor('c'), [{ action: 'RECORD_READ', outcome: 'FULL', purpose: { reason: 'nul \u0000 in the reason' } }]),
      writer.append(actor('d'), [entry(4)]),
    ]);
    await writer.close();
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const after = await chainState();
    expect(after).toEqual({ ok: true, rows: before.rows + 3, maxSeq: before.rows + 3 });
  });

  it('keeps one append under way: requests finishing meanwhile all go in the next', async () => {
    hub.queries.reset();
    const writer = new AuditWriter(hub.dataSource);
    await Promise.all(Array.from({ length: 10 }, (_, i) => writer.append(actor(`q${i}`), [entry(i)])));
    await writer.close();
    expect(hub.queries.statements.filter((sql) => sql.includes('audit_append'))).toHaveLength(2);
  });

  it('writes a shared append of more than one statement whole or not at all, so a refused request duplicates no one', async () => {
    const before = await chainState();
    const writer = new AuditWriter(hub.dataSource);
    hub.queries.reset();
    const hundred = (n: number) => Array.from({ length: 100 }, (_, i) => entry(n * 1000 + i));
    const settled = await Promise.allSettled([
      writer.append(actor('first'), [entry(1)]),
      // These wait for the first and go together: 3,001 rows, two statements.
      ...Array.from({ length: 30 }, (_, n) => writer.append(actor(`bulk-${n}`), hundred(n))),
      writer.append(actor('bad'), [{ action: 'RECORD_READ', outcome: 'FULL', purpose: { reason: 'nul \u0000 in the reason' } }]),
    ]);
    await writer.close();
    expect(settled.filter((result) => result.status === 'rejected')).toHaveLength(1);
    expect(settled[31].status).toBe('rejected');
    // Those statements ran in a transaction on TypeORM's pool, under the prepared pool's time limit.
    const statements = hub.queries.statements;
    const limit = statements.findIndex((q) => q === `SET LOCAL statement_timeout = ${PREPARED_STATEMENT_TIMEOUT_MS}`);
    expect(limit).toBeGreaterThan(statements.findIndex((q) => q === 'START TRANSACTION'));
    expect(statements.slice(limit + 1, limit + 3).every((q) => /audit_append/.test(q))).toBe(true);
    expect(await chainState()).toEqual({ ok: true, rows: before.rows + 3001, maxSeq: before.rows + 3001 });
  });

  it.each([
    ['half a surrogate pair in the actor\'s name', { name: 'Tester \uD83D' }, {}],
    ['a NUL in the actor', { sub: 'tester\u0000' }, {}],
    ['an id in another spelling', {}, { childId: '{00000000-0000-4000-8000-000000000001}' }],
    ['a result id in another spelling', {}, { resultIds: ['00000000000040008000000000000001'] }],
  ])('refuses a row with %s, which would be stored otherwise than hashed, and writes nothing', async (_what, viewer, fields) => {
    const before = await chainState();
    const writer = new AuditWriter(hub.dataSource);
    const refused = writer.append({ requestId: 'req-odd', viewer: { sub: 'tester', name: 'Tester', agencyCode: 'NCSC', roles: ['MASH_RESEARCHER'], ...viewer } }, [{ ...entry(1), ...fields }]);
    await expect(refused).rejects.toThrow(/would not store/);
    await writer.close();
    expect(await chainState()).toEqual(before);
  });

  it('refuses a release of records that names no child, since only its child would find it', async () => {
    const before = await chainState();
    const writer = new AuditWriter(hub.dataSource);
    const record = '00000000-0000-4000-8000-000000000777';
    const refused = writer.append(actor('a'), [{ action: 'RECORD_LIST', outcome: 'FULL', resultIds: [record] }]);
    await expect(refused).rejects.toThrow(/names no child/);
    // The same ids in an event that releases nothing are found through the index, and are kept.
    await writer.append(actor('a'), [{ action: 'CHILD_SEARCH', outcome: 'OK', resultIds: [record] }]);
    await writer.close();
    expect(await chainState()).toEqual({ ok: true, rows: before.rows + 1, maxSeq: before.rows + 1 });
  });

  it('fails every request of an append the database refuses, and writes none of its rows', async () => {
    const before = await chainState();
    const writer = new AuditWriter(hub.dataSource);
    const refused = writer.append(actor('a'), [{ action: 'RECORD_READ', outcome: 'FULL', recordId: 'not-a-uuid' }]);
    await expect(refused).rejects.toThrow();
    await writer.append(actor('a'), [entry(5)]);
    await writer.close();
    const after = await chainState();
    expect(after).toEqual({ ok: true, rows: before.rows + 1, maxSeq: before.rows + 1 });
  });

  it('stores any text and JSON the rows hold exactly, with hashes the verifier agrees with', async () => {
    // What PostgreSQL can hold: no NUL; the characters JSON escapes, and the separators it sends them with, made likely.
    const unit = fc.oneof(
      fc.constantFrom('"', '\\', '\n', '\r', '\t', '\u0001', '\u001f', '\u007f', '\u2028', 'é', '😀', '{', '}', ',', 'NULL', ' '),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !c.includes('\0')),
    );
    const text = fc.string({ unit, maxLength: 12 });
    const uuid = fc.uuid().map((id) => id.toUpperCase());
    const row = fc.record({
      sub: text.filter((t) => t.length > 0),
      name: text,
      entries: fc.array(
        fc.record({
          action: fc.constantFrom('RECORD_LIST', 'CHILD_SEARCH'),
          outcome: fc.constantFrom('FULL' as const, 'FLAG' as const, 'OK' as const),
          childId: fc.option(uuid, { nil: null }),
          recordAgencyId: fc.option(uuid, { nil: null }),
          grounds: fc.array(fc.record({ kind: text, id: uuid }), { maxLength: 2 }),
          purpose: fc.option(fc.record({ reason: text, enquiryId: fc.option(uuid, { nil: null }) }), { nil: null }),
          query: fc.jsonValue({ maxDepth: 2, stringUnit: unit }),
          resultIds: fc.option(fc.array(uuid, { maxLength: 3 }), { nil: null }),
          reviewable: fc.boolean(),
        // A release of records always names their child; the writer refuses one that does not.
        }).filter((e) => !(e.action === 'RECORD_LIST' && e.resultIds !== null && e.childId === null)),
        { minLength: 1, maxLength: 3 },
      ),
    });
    const writer = new AuditWriter(hub.dataSource, { tidyIntervalMs: 0 });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 3 }), async (requests) => {
        const [{ last }] = await hub.sql<{ last: string | null }>('SELECT max(seq)::text AS last FROM audit_event');
        await Promise.all(requests.map(({ sub, name, entries }) =>
          writer.append({ requestId: 'req-property', viewer: { sub, name, agencyCode: 'NCSC', roles: ['MASH_RESEARCHER'] } }, entries)));
        const stored = await hub.sql<{ actor_sub: string; actor_name: string; grounds: unknown; purpose: unknown; query: unknown; child_id: string | null; result_ids: string[] | null }>(
          'SELECT actor_sub, actor_name, grounds, purpose, query, child_id::text, result_ids::text[] FROM audit_event WHERE seq > $1 ORDER BY seq',
          [last ?? 0],
        );
        // Appends of different requests may go in any order; within one request, rows keep theirs.
        const expected = requests.flatMap(({ sub, name, entries }) => entries.map((e) => ({
          actor_sub: sub, actor_name: name, grounds: JSON.parse(JSON.stringify(e.grounds)), purpose: e.purpose, query: JSON.parse(JSON.stringify(e.query)),
          child_id: e.childId?.toLowerCase() ?? null, result_ids: e.resultIds?.map((id) => id.toLowerCase()) ?? null,
        })));
        const key = (r: object) => canonicalJson(r);
        expect(stored.map(key).sort()).toEqual(expected.map(key).sort());
        expect((await verifyAuditChain(hub.dataSource)).ok).toBe(true);
      }),
      { numRuns: 60 },
    );
    await writer.close();
  });

  it('leaves result ids in the index\'s pending list for the writer to merge off the request path', async () => {
    const pendingPages = async (): Promise<number> => {
      const [{ pages }] = await hub.sql<{ pages: string }>(`SELECT gin_clean_pending_list('audit_event_result_ids_idx'::regclass) AS pages`);
      return Number(pages);
    };
    // A search's results: reads of records are found by their children, not through this index.
    const shown = (n: number) => ({ action: 'CHILD_SEARCH', outcome: 'OK' as const, resultIds: Array.from({ length: 50 }, (_, i) => `00000000-0000-4000-8000-${String(n * 100 + i).padStart(12, '0')}`) });
    await pendingPages();

    const untidy = new AuditWriter(hub.dataSource, { tidyIntervalMs: 0 });
    await untidy.append(actor('a'), [shown(1)]);
    await untidy.close();
    // The ids went to the pending list (fastupdate), not one by one into the tree.
    expect(await pendingPages()).toBeGreaterThan(0);

    hub.queries.reset();
    const writer = new AuditWriter(hub.dataSource);
    await writer.append(actor('a'), [shown(2)]);
    await writer.append(actor('a'), [shown(3)]);
    await writer.close();
    // At most once a second: the first append started a merge, the second did not.
    expect(hub.queries.upkeep).toHaveLength(1);

    const next = new AuditWriter(hub.dataSource);
    await next.append(actor('a'), [shown(4)]);
    await next.close();
    // Its merge took everything pending, the previous writer's last ids included.
    expect(await pendingPages()).toBe(0);
    const [{ found }] = await hub.sql<{ found: string }>(`SELECT count(*) AS found FROM audit_event WHERE result_ids @> ARRAY[$1::uuid]`, [shown(3).resultIds[7]]);
    expect(Number(found)).toBe(1);
  });
});
