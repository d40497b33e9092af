/**
 * Record metadata travels packed, one value per child: it must arrive exactly as stored, whatever
 * an author's sub contains and whenever a record occurred, newest first with ties broken by id.
 */
import { randomUUID } from 'node:crypto';
import { loadChildrenWithFacts } from '../../src/access/facts-loader';
import { CONTENT_PARTS, recordMetaByChild, recordMetaByIds, type ContentPart } from '../../src/access/record-store';
import { createChild, createCounty, createRecords, type RecordFactory, type County } from '../factories';
import { startHub, type Hub } from '../support/harness';

const AWKWARD_SUBS = ['plain-sub', 'comma, and; semicolon', 'quote " and \\ backslash', 'new\nline', 'ünïcödé 名前', ',;,;'];

describe('record metadata by child', () => {
  let hub: Hub;
  let county: County;

  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
  });
  afterAll(() => hub.stop());

  function record(childId: string, i: number, occurredAt: Date, overrides: Partial<RecordFactory> = {}): RecordFactory {
    return {
      id: randomUUID(),
      agencyId: [county.police.id, county.health.id, county.school.id][i % 3],
      childId,
      sourceRef: `META-${randomUUID()}`,
      category: (['POLICE_INCIDENT', 'HEALTH_CONTACT', 'ATTENDANCE'] as const)[i % 3],
      sensitivity: (['STANDARD', 'SENSITIVE', 'RESTRICTED'] as const)[i % 3],
      occurredAt,
      summary: `summary ${i}`,
      detail: null,
      authorSub: AWKWARD_SUBS[i % AWKWARD_SUBS.length],
      ...overrides,
    };
  }

  it('decodes every field exactly, for several children at once, in the order of a plain query', async () => {
    const first = await createChild(hub);
    const second = await createChild(hub);
    const none = await createChild(hub);
    const sameInstant = new Date('2024-03-01T10:00:00.123Z');
    await createRecords(hub, [
      ...AWKWARD_SUBS.map((_, i) => record(first.id, i, new Date(Date.UTC(2023, i, 5, 8, 30, 15, 7 * i)))),
      record(first.id, 1, sameInstant),
      record(first.id, 2, sameInstant),
      record(first.id, 3, new Date('1969-12-31T23:59:59.999Z')),
      record(second.id, 4, new Date('2025-06-30T23:59:59.001Z')),
    ]);
    const unknown = randomUUID();

    const found = await recordMetaByChild(hub.dataSource.manager, [first.id, second.id, none.id, unknown]);

    const rows = await hub.sql<{ id: string; child_id: string; agency_id: string; current_version: number; category: string; sensitivity: string; occurred_at: Date; author_sub: string }>(
      `SELECT id, child_id, agency_id, current_version, category, sensitivity, occurred_at, author_sub FROM shared_record
       WHERE child_id = ANY($1::uuid[]) ORDER BY occurred_at DESC, id DESC`,
      [[first.id, second.id]],
    );
    const expected = (childId: string) =>
      rows
        .filter((r) => r.child_id === childId)
        .map((r) => ({
          id: r.id, childId, agencyId: r.agency_id, version: r.current_version, category: r.category, sensitivity: r.sensitivity,
          occurredAt: r.occurred_at, authorSub: r.author_sub,
        }));
    expect(found.get(first.id)).toEqual(expected(first.id));
    expect(found.get(first.id)).toHaveLength(AWKWARD_SUBS.length + 3);
    expect(found.get(second.id)).toEqual(expected(second.id));
    expect(found.get(none.id)).toEqual([]);
    expect(found.get(unknown)).toEqual([]);
    expect(new Set(found.get(first.id)?.map((m) => m.authorSub))).toEqual(new Set(AWKWARD_SUBS));

    // The same records fetched by id carry the same metadata.
    const byId = await recordMetaByIds(hub.dataSource.manager, expected(first.id).map((m) => m.id));
    for (const meta of found.get(first.id) ?? []) expect(byId.get(meta.id)).toEqual(meta);
  });

  it('lets the author of a RESTRICTED record read it in full, whatever characters the sub holds', async () => {
    const child = await createChild(hub);
    const sub = 'officer, badge 12; "north" \\ division';
    const restricted = record(child.id, 2, new Date('2024-05-05T12:00:00Z'), { agencyId: county.police.id, sensitivity: 'RESTRICTED', authorSub: sub });
    const colleague = record(child.id, 2, new Date('2024-05-04T12:00:00Z'), { agencyId: county.police.id, sensitivity: 'RESTRICTED', authorSub: `${sub} ` });
    await createRecords(hub, [restricted, colleague]);

    const response = await hub.gql<{ child: { records: { edges: Array<{ node: { id: string; visibility: string } }> } } }>(
      `query($id: ID!) { child(id: $id) { records(purpose: { reason: "Reviewing my own incident report" }) { edges { node { id visibility } } } } }`,
      { id: child.id },
      hub.token('NPOL', ['PRACTITIONER'], sub),
    );

    expect(response.errors).toBeUndefined();
    const visibility = new Map(response.data?.child.records.edges.map((e) => [e.node.id, e.node.visibility]));
    expect(visibility.get(restricted.id)).toBe('FULL');
    expect(visibility.get(colleague.id)).toBe('FLAG');
  });

  it('brings the same records with a child\'s facts, in the one statement, when a query pages them', async () => {
    const child = await createChild(hub);
    const empty = await createChild(hub);
    await createRecords(hub, AWKWARD_SUBS.map((_, i) => record(child.id, i, new Date(Date.UTC(2022, i, 1, 9, 0, 0, i)))));
    const ids = [child.id, empty.id, randomUUID()];
    const viewer = { sub: 'officer-1', agencyId: county.police.id, agencyCode: 'NPOL', agencyKind: 'POLICE' as const, roles: ['PRACTITIONER' as const] };

    const apart = await recordMetaByChild(hub.dataSource.manager, ids);
    const together = await loadChildrenWithFacts(hub.dataSource.manager, viewer, ids, { withRecords: true });
    const factsOnly = await loadChildrenWithFacts(hub.dataSource.manager, viewer, ids);
    for (const id of ids) {
      expect(together.get(id)?.records).toEqual(apart.get(id));
      expect({ ...together.get(id), records: undefined }).toEqual({ ...factsOnly.get(id), records: undefined });
    }
    expect(together.get(child.id)?.records).toHaveLength(AWKWARD_SUBS.length);

    const query = (fields: string) => `query($id: ID!) { child(id: $id) { givenName ${fields} } }`;
    const paged = `records(purpose: { reason: "Checking what partners hold before a visit" }, first: 3) { totalCount edges { node { id } } }`;
    const token = hub.token('NPOL', ['PRACTITIONER'], 'officer-1');
    hub.queries.reset();
    const withRecords = await hub.gql<{ child: { records: { totalCount: number; edges: unknown[] } } }>(query(`... on Child { ${paged} }`), { id: child.id }, token);
    expect(withRecords.errors).toBeUndefined();
    expect(withRecords.data?.child.records.totalCount).toBe(AWKWARD_SUBS.length);
    expect(hub.queries.statements.filter((q) => q.includes('LEFT JOIN LATERAL'))).toHaveLength(1);
    expect(hub.queries.statements.filter((q) => q.includes('GROUP BY r.child_id'))).toHaveLength(0);

    hub.queries.reset();
    await hub.gql(query(''), { id: child.id }, token);
    expect(hub.queries.statements.filter((q) => q.includes('LEFT JOIN LATERAL') || q.includes('GROUP BY r.child_id'))).toHaveLength(0);
  });

  it('reads the owner\'s reference with the content only when a page shows it', async () => {
    const child = await createChild(hub);
    const made = AWKWARD_SUBS.map((_, i) => record(child.id, i, new Date(Date.UTC(2023, i, 1))));
    await createRecords(hub, made);
    const owned = new Map(made.filter((r) => r.agencyId === county.police.id).map((r) => [r.id, r.sourceRef]));
    const token = hub.token('NPOL', ['PRACTITIONER'], 'officer-1');
    const purpose = `purpose: { reason: "Checking what partners hold before a visit" }`;
    const withRef = /\br\.source_ref\b/;
    const withoutRef = /NULL::text AS source_ref/;
    type Node = { id: string; visibility: string; summary?: string | null; sourceRef?: string | null; ref?: string | null };
    const page = async (fields: string, fragments = '') => {
      hub.queries.reset();
      const body = await hub.gql<{ child: { records: { edges: Array<{ node: Node }> } } }>(
        `query($id: ID!) { child(id: $id) { records(${purpose}, first: 10) { edges { node { id visibility ${fields} } } } } } ${fragments}`, { id: child.id }, token);
      expect(body.errors).toBeUndefined();
      return (body.data?.child.records.edges ?? []).map((e) => e.node);
    };

    const shown = await page('sourceRef');
    const full = shown.filter((n) => n.visibility === 'FULL');
    expect(full.map((n) => n.id).sort()).toEqual([...owned.keys()].sort());
    for (const node of full) expect(node.sourceRef).toBe(owned.get(node.id));
    for (const node of shown.filter((n) => n.visibility === 'FLAG')) expect(node.sourceRef).toBeNull();
    expect(hub.queries.statements.filter((q) => withRef.test(q))).toHaveLength(1);
    expect(hub.queries.statements.filter((q) => withoutRef.test(q))).toHaveLength(0);

    const viaFragment = await page('...Ref', 'fragment Ref on SharedRecord { ref: sourceRef }');
    const fullViaFragment = viaFragment.filter((n) => n.visibility === 'FULL');
    expect(fullViaFragment).toHaveLength(owned.size);
    for (const node of fullViaFragment) expect(node.ref).toBe(owned.get(node.id));
    expect(hub.queries.statements.filter((q) => withRef.test(q))).toHaveLength(1);

    const summaries = await page('summary');
    for (const node of summaries) expect(node.summary === null).toBe(node.visibility === 'FLAG');
    expect(hub.queries.statements.filter((q) => withoutRef.test(q))).toHaveLength(1);
    expect(hub.queries.statements.filter((q) => withRef.test(q))).toHaveLength(0);

    hub.queries.reset();
    const timeline = await hub.gql<{ child: { chronology: { edges: Array<{ node: { record: { id: string; sourceRef: string | null } | null } }> } } }>(
      `query($id: ID!) { child(id: $id) { chronology(${purpose}, first: 10) { edges { node { record { id sourceRef } } } } } }`, { id: child.id }, token);
    expect(timeline.errors).toBeUndefined();
    const refs = (timeline.data?.child.chronology.edges ?? []).flatMap((e) => (e.node.record && owned.has(e.node.record.id) ? [e.node.record] : []));
    expect(refs).toHaveLength(owned.size);
    for (const r of refs) expect(r.sourceRef).toBe(owned.get(r.id));
    expect(hub.queries.statements.filter((q) => withRef.test(q))).toHaveLength(1);

    // One request that shows the reference in one place and not in another reads content both
    // ways, and each place gets what it asked for.
    hub.queries.reset();
    const both = await hub.gql<{ child: { records: { edges: Array<{ node: Node }> }; chronology: { edges: Array<{ node: { record: { id: string; summary: string | null } | null } }> } } }>(
      `query($id: ID!) { child(id: $id) { records(${purpose}, first: 10) { edges { node { id visibility sourceRef } } }
        chronology(${purpose}, first: 10) { edges { node { record { id summary } } } } } }`, { id: child.id }, token);
    expect(both.errors).toBeUndefined();
    for (const { node } of both.data?.child.records.edges ?? []) expect(node.sourceRef ?? null).toBe(owned.get(node.id) ?? null);
    const summariesShown = (both.data?.child.chronology.edges ?? []).flatMap((e) => (e.node.record && owned.has(e.node.record.id) ? [e.node.record.summary] : []));
    expect(summariesShown).toHaveLength(owned.size);
    expect(summariesShown.every((summary) => typeof summary === 'string' && summary.length > 0)).toBe(true);
    expect(hub.queries.statements.filter((q) => withRef.test(q))).toHaveLength(1);
    expect(hub.queries.statements.filter((q) => withoutRef.test(q))).toHaveLength(1);
  });

  it('reads each other part of the content only when a page shows it, and each exactly as stored', async () => {
    const child = await createChild(hub);
    const made = [0, 1, 2].map((i) => record(child.id, i, new Date(Date.UTC(2024, i, 1)), {
      agencyId: county.police.id, category: 'POLICE_INCIDENT', sensitivity: 'STANDARD', detail: `Narrative ${i}: who was present, what was seen`,
    }));
    await createRecords(hub, made);
    // Census factor codes too, which the factory leaves empty: set on a second version of the first record.
    await hub.sql(
      `INSERT INTO record_version (record_id, version, category, sensitivity, occurred_at, summary, detail, factor_codes, content_hash, author_sub)
       SELECT record_id, 2, category, sensitivity, occurred_at, summary, detail, '{2A,3A}', md5(content_hash), author_sub
       FROM record_version WHERE record_id = $1 AND version = 1`,
      [made[0].id],
    );
    const stored = await hub.sql<{ id: string; detail: string | null; factor_codes: string[]; enquiry_id: string | null; created_at: Date; source_ref: string }>(
      `SELECT r.id, v.detail, v.factor_codes, v.enquiry_id, v.created_at, r.source_ref
       FROM shared_record r JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version WHERE r.child_id = $1`,
      [child.id],
    );
    const asShown: Record<ContentPart, (row: (typeof stored)[number]) => unknown> = {
      detail: (row) => row.detail,
      factorCodes: (row) => row.factor_codes,
      sourceRef: (row) => row.source_ref,
      enquiryId: (row) => row.enquiry_id,
      recordedAt: (row) => row.created_at.toISOString(),
    };
    const columnOf: Record<ContentPart, RegExp> = {
      detail: /\bv\.detail\b/, factorCodes: /\bv\.factor_codes\b/, sourceRef: /\br\.source_ref\b/, enquiryId: /\bv\.enquiry_id\b/, recordedAt: /\bv\.created_at\b/,
    };
    const token = hub.token('NPOL', ['PRACTITIONER'], 'officer-1');
    const purpose = `purpose: { reason: "Checking what partners hold before a visit" }`;
    const contentStatement = (): string => {
      const statements = hub.queries.statements.filter((q) => /JOIN record_version v ON v\.record_id = k\.id/.test(q));
      expect(statements).toHaveLength(1);
      return statements[0];
    };
    const nodesOf = async (selection: string, path: 'records' | 'chronology', fragments = ''): Promise<Array<Record<string, unknown>>> => {
      hub.queries.reset();
      const query = path === 'records'
        ? `query($id: ID!) { child(id: $id) { records(${purpose}, first: 10) { edges { node { id ${selection} } } } } } ${fragments}`
        : `query($id: ID!) { child(id: $id) { chronology(${purpose}, first: 10) { edges { node { record { id ${selection} } } } } } } ${fragments}`;
      const body = await hub.gql<{ child: Record<string, { edges: Array<{ node: Record<string, unknown> }> }> }>(query, { id: child.id }, token);
      expect(body.errors).toBeUndefined();
      return (body.data?.child[path].edges ?? []).map((e) => (path === 'records' ? e.node : (e.node.record as Record<string, unknown>)));
    };

    for (const part of CONTENT_PARTS) {
      for (const path of ['records', 'chronology'] as const) {
        const nodes = await nodesOf(part, path);
        const statement = contentStatement();
        for (const other of CONTENT_PARTS) expect([other, columnOf[other].test(statement)]).toEqual([other, other === part]);
        expect(nodes).toHaveLength(stored.length);
        for (const node of nodes) expect(node[part]).toEqual(asShown[part](stored.find((row) => row.id === node.id)!));
      }
    }
    // Nothing but the summary when nothing else is shown; every part asked for through a fragment under an alias.
    await nodesOf('summary', 'records');
    for (const part of CONTENT_PARTS) expect([part, columnOf[part].test(contentStatement())]).toEqual([part, false]);
    const aliased = await nodesOf('...Parts', 'records', `fragment Parts on SharedRecord { ${CONTENT_PARTS.map((part) => `shown_${part}: ${part}`).join(' ')} }`);
    for (const part of CONTENT_PARTS) expect([part, columnOf[part].test(contentStatement())]).toEqual([part, true]);
    for (const node of aliased) {
      const row = stored.find((r) => r.id === node.id)!;
      for (const part of CONTENT_PARTS) expect(node[`shown_${part}`]).toEqual(asShown[part](row));
    }
  });

  it('shows each released record\'s grounds, and for a flag only how to ask for it', async () => {
    const child = await createChild(hub);
    const made = [0, 1, 2, 3].map((i) => record(child.id, i, new Date(Date.UTC(2024, 5, i + 1)), { sensitivity: 'STANDARD' }));
    await createRecords(hub, made);
    const token = hub.token('NPOL', ['PRACTITIONER'], 'officer-1');
    type Node = { id: string; visibility: string; grounds: string[]; groundRefs: Array<{ kind: string; id: string }>; howToRequest: string | null; factorCodes: string[] | null };
    const body = await hub.gql<{ child: { records: { edges: Array<{ node: Node }> } } }>(
      `query($id: ID!) { child(id: $id) { records(purpose: { reason: "Checking what partners hold before a visit" }, first: 10) {
        edges { node { id visibility grounds groundRefs { kind id } howToRequest factorCodes } } } } }`, { id: child.id }, token);
    expect(body.errors).toBeUndefined();
    const nodes = body.data?.child.records.edges.map((e) => e.node) ?? [];
    expect(nodes).toHaveLength(made.length);
    for (const node of nodes) {
      const owner = made.find((r) => r.id === node.id)?.agencyId;
      if (owner === county.police.id) {
        expect(node).toMatchObject({ visibility: 'FULL', grounds: ['OWNER'], groundRefs: [{ kind: 'OWNER', id: county.police.id }], howToRequest: null, factorCodes: [] });
      } else {
        const agency = [county.health, county.school].find((a) => a.id === owner);
        expect(node).toMatchObject({ visibility: 'FLAG', grounds: [], groundRefs: [], factorCodes: null });
        expect(node.howToRequest).toBe(`Information is held by ${agency?.name} (${agency?.code}); ask for it with requestAccess(recordId: "${node.id}", purpose).`);
      }
    }
    expect(new Set(nodes.map((n) => n.visibility))).toEqual(new Set(['FULL', 'FLAG']));
  });

  it('refuses a page rather than decide on metadata that is not a record\'s own, when a head was written bare', async () => {
    const child = await createChild(hub);
    const newer = record(child.id, 0, new Date(Date.UTC(2024, 6, 2)), { agencyId: county.police.id, sensitivity: 'STANDARD', authorSub: 'officer-1' });
    const restricted = record(child.id, 0, new Date(Date.UTC(2024, 6, 1)), { agencyId: county.police.id, sensitivity: 'RESTRICTED', authorSub: 'officer-9', detail: 'live investigation' });
    await createRecords(hub, [newer, restricted]);
    // A head loaded directly, with no version yet: its metadata columns are null.
    const bare = randomUUID();
    await hub.sql(`INSERT INTO shared_record (id, agency_id, source_ref, child_id) VALUES ($1, $2, $3, $4)`, [bare, county.health.id, `BARE-${bare}`, child.id]);
    const token = hub.token('NPOL', ['PRACTITIONER'], 'officer-1');
    const purpose = `purpose: { reason: "Checking what partners hold before a visit" }`;

    const page = await hub.gql<{ child: { records: { edges: Array<{ node: { id: string; visibility: string; detail: string | null } }> } } | null }>(
      `query($id: ID!) { child(id: $id) { records(${purpose}) { edges { node { id visibility detail } } } } }`, { id: child.id }, token);
    expect(page.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(page.data ?? null)).not.toContain('live investigation');

    const one = await hub.gql<{ record: unknown }>(`query($id: ID!) { record(id: $id, ${purpose}) { id } }`, { id: bare }, token);
    expect(one.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    // The records around it are decided on their own rows as before.
    const own = await hub.gql<{ record: { visibility: string; detail: string | null } | null }>(
      `query($id: ID!) { record(id: $id, ${purpose}) { visibility detail } }`, { id: restricted.id }, token);
    expect(own.data?.record).toEqual({ visibility: 'FLAG', detail: null });
  });
});
