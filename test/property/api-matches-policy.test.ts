/**
 * Every GraphQL path that returns record data agrees with the pure policy (DESIGN.md sections 3
 * and 5): fast-check generates children, records and sharing facts, writes them into the hub's
 * database, asks through real HTTP as a generated viewer, and compares each answer with
 * decideRecord/decideChild over the same facts. FULL shows the content and the policy's ground
 * kinds; FLAG shows nothing of it; HIDDEN is absent and uncounted.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { decideChild } from '../../src/policy';
import { createCounty, type AgencyRow } from '../factories';
import { startHub, type Hub } from '../support/harness';
import { chronologyShape, type ChronologyShape } from './chronology-shape';
import {
  assertAgrees,
  checkChild,
  checkConnection,
  checkRecord,
  recordDecision,
  type ChildNode,
  type Connection,
  type RecordNode,
} from './expectations';
import { CATEGORIES, materialise, scenarioArb, type Scenario, type ScenarioSpec } from './scenario';

const PURPOSE = { reason: 'Generated scenario: comparing the API with the policy' };
const RECORD_FIELDS = 'id visibility grounds summary detail sourceRef';
const FRAGMENT = `fragment RecordFields on SharedRecord { ${RECORD_FIELDS} }`;
const CHILD_FIELDS = 'id dateOfBirth nhsNumber address';
const RECORDS = `records(purpose: $purpose) { totalCount edges { node { ...RecordFields } } }`;

// 330 scenarios over the record-returning paths (more once the chronology exists).
const RUNS = { record: 70, child: 70, search: 60, aliased: 65, fragments: 65, chronology: 50 };

type ChildAnswer = ChildNode & { records?: Connection };

describe('every record-returning path agrees with the policy', () => {
  let hub: Hub;
  let agencies: AgencyRow[];
  let chronology: ChronologyShape | null;

  beforeAll(async () => {
    hub = await startHub();
    agencies = Object.values(await createCounty(hub));
    chronology = await chronologyShape(hub, hub.token('NCSC', ['MANAGER']));
  });
  afterAll(() => hub.stop());

  /** Writes the scenario, runs one request as its viewer, and returns the answer and its `now`. */
  async function ask<T>(spec: ScenarioSpec, query: (s: Scenario) => { text: string; variables?: Record<string, unknown> }) {
    const s = await materialise(hub, agencies, spec);
    const { text, variables } = query(s);
    const res = await hub.gql<T>(text, { purpose: PURPOSE, ...variables }, hub.token(s.viewer.agencyCode, [...s.viewer.roles], s.viewer.sub));
    const now = new Date();
    if (res.errors) assertAgrees(s, [`request failed: ${JSON.stringify(res.errors)}`]);
    return { s, data: res.data as T, now };
  }

  const property = (spec: fc.Arbitrary<ScenarioSpec>, run: (spec: ScenarioSpec) => Promise<void>) => fc.asyncProperty(spec, run);

  it('record(id, purpose)', async () => {
    await fc.assert(
      property(scenarioArb, async (spec) => {
        const { s, data, now } = await ask<Record<string, RecordNode | null>>(spec, (sc) => ({
          // A record that does not exist answers null, like one that may not be seen.
          text: `query One($purpose: PurposeInput!) { missing: record(id: "${randomUUID()}", purpose: $purpose) { id } ${sc.records
            .map((r, i) => `r${i}: record(id: "${r.id}", purpose: $purpose) { ${RECORD_FIELDS} }`)
            .join(' ')} }`,
        }));
        const problems = data.missing ? ['record(missing): an absent record was answered'] : [];
        problems.push(...s.records.flatMap((r, i) => {
          const node = data[`r${i}`];
          const hidden = recordDecision(s, r.id, now).visibility === 'HIDDEN';
          if (hidden) return node ? [`record(r${i}): returned but the policy hides it`] : [];
          return node ? checkRecord(s, node, now, `record(r${i})`) : [`record(r${i}): null but the policy shows it`];
        }));
        assertAgrees(s, problems);
      }),
      { numRuns: RUNS.record },
    );
  });

  it('child(id) { fields, records }', async () => {
    await fc.assert(
      property(scenarioArb, async (spec) => {
        const { s, data, now } = await ask<Record<string, ChildAnswer | null>>(spec, (sc) => ({
          text: `query Children($purpose: PurposeInput!) { ${sc.children
            .map((c, i) => `c${i}: child(id: "${c.id}") { ${CHILD_FIELDS} ${RECORDS} }`)
            .join(' ')} } ${FRAGMENT}`,
        }));
        const problems = s.children.flatMap((c, i) => {
          const node = data[`c${i}`];
          return [...checkChild(s, c.id, node, now, `child(c${i})`), ...(node ? checkConnection(s, c.id, node.records, now, `child(c${i}).records`) : [])];
        });
        assertAgrees(s, problems);
      }),
      { numRuns: RUNS.child },
    );
  });

  it('searchChildren with nested records', async () => {
    await fc.assert(
      property(scenarioArb, async (spec) => {
        type Found = { edges: Array<{ node: ChildAnswer }> };
        const { s, data, now } = await ask<{ searchChildren: Found; byBirth: Found }>(spec, (sc) => ({
          text: `query Find($purpose: PurposeInput!, $name: String!, $born: LocalDate!) {
            searchChildren(input: { familyName: $name }) { edges { node { ${CHILD_FIELDS} ${RECORDS} } } }
            byBirth: searchChildren(input: { familyName: $name, dateOfBirth: $born }) { edges { node { id } } } } ${FRAGMENT}`,
          variables: { name: sc.familyName, born: sc.children[0].dateOfBirth },
        }));
        const found = new Map(data.searchChildren.edges.map((e) => [e.node.id, e.node]));
        // A search by name only: a shielded child is still found (as name, age and gender).
        const problems = s.children.flatMap((c, i) => {
          const node = found.get(c.id);
          return [...checkChild(s, c.id, node, now, `searchChildren[c${i}]`), ...(node ? checkConnection(s, c.id, node.records, now, `searchChildren[c${i}].records`) : [])];
        });
        // By date of birth the search is identifying: a child shown only as name, age and gender is not found that way.
        const byBirth = new Set(data.byBirth.edges.map((e) => e.node.id));
        for (const [i, c] of s.children.entries()) {
          const view = decideChild(s.viewer, c, s.facts.get(c.id), now).view;
          if (byBirth.has(c.id) !== (view === 'FULL')) problems.push(`searchChildren(byBirth)[c${i}]: found ${byBirth.has(c.id)}, policy view ${view}`);
        }
        assertAgrees(s, problems);
      }),
      { numRuns: RUNS.search },
    );
  });

  it('aliased child.records with different filters', async () => {
    const filters = fc.record({ agency: fc.integer({ min: 0, max: 3 }), categories: fc.subarray([...CATEGORIES], { minLength: 1 }) });
    await fc.assert(
      fc.asyncProperty(scenarioArb, filters, async (spec, f) => {
        const byAgency = { agencyCodes: [agencies[f.agency].code] };
        const byCategory = { categories: f.categories };
        const { s, data, now } = await ask<Record<string, { all: Connection; mine: Connection; some: Connection } | null>>(spec, (sc) => ({
          text: `query Aliased($purpose: PurposeInput!, $byAgency: RecordFilter, $byCategory: RecordFilter) { ${sc.children
            .map((c, i) => `c${i}: child(id: "${c.id}") {
              all: ${RECORDS}
              mine: records(purpose: $purpose, filter: $byAgency) { totalCount edges { node { ${RECORD_FIELDS} } } }
              some: records(purpose: $purpose, filter: $byCategory) { totalCount edges { node { ...RecordFields } } } }`)
            .join(' ')} } ${FRAGMENT}`,
          variables: { byAgency, byCategory },
        }));
        const problems = s.children.flatMap((c, i) => {
          const node = data[`c${i}`];
          if (!node) return [];
          return [
            ...checkConnection(s, c.id, node.all, now, `c${i}.all`),
            ...checkConnection(s, c.id, node.mine, now, `c${i}.mine(${byAgency.agencyCodes[0]})`, byAgency),
            ...checkConnection(s, c.id, node.some, now, `c${i}.some(${f.categories.join(',')})`, byCategory),
          ];
        });
        assertAgrees(s, problems);
      }),
      { numRuns: RUNS.aliased },
    );
  });

  it('fragments on Child and SharedRecord, mixed with record(id)', async () => {
    await fc.assert(
      property(scenarioArb, async (spec) => {
        const { s, data, now } = await ask<Record<string, (ChildAnswer & RecordNode) | null>>(spec, (sc) => ({
          text: `query Fragments($purpose: PurposeInput!) {
            ${sc.children.map((c, i) => `c${i}: child(id: "${c.id}") { ...ChildFields }`).join(' ')}
            ${sc.records.slice(0, 3).map((r, i) => `r${i}: record(id: "${r.id}", purpose: $purpose) { ... on SharedRecord { ...RecordFields } }`).join(' ')}
          }
          fragment ChildFields on Child { ${CHILD_FIELDS} ${RECORDS} }
          ${FRAGMENT}`,
        }));
        const problems = [
          ...s.children.flatMap((c, i) => {
            const node = data[`c${i}`];
            return [...checkChild(s, c.id, node, now, `fragment c${i}`), ...(node ? checkConnection(s, c.id, node.records, now, `fragment c${i}.records`) : [])];
          }),
          ...s.records.slice(0, 3).flatMap((r, i) => {
            const node = data[`r${i}`];
            const hidden = recordDecision(s, r.id, now).visibility === 'HIDDEN';
            if (hidden) return node ? [`fragment r${i}: returned but the policy hides it`] : [];
            return node ? checkRecord(s, node, now, `fragment r${i}`) : [`fragment r${i}: null but the policy shows it`];
          }),
        ];
        assertAgrees(s, problems);
      }),
      { numRuns: RUNS.fragments },
    );
  });

  it('child.chronology (checked as soon as the schema has it)', async () => {
    if (!chronology) {
      // Until Child.chronology exists there is no path to compare; the introspection above is the check.
      expect(chronology).toBeNull();
      return;
    }
    const shape = chronology;
    await fc.assert(
      property(scenarioArb, async (spec) => {
        const { s, data, now } = await ask<Record<string, { chronology: Record<string, unknown> } | null>>(spec, (sc) => ({
          text: `query Chronology($purpose: PurposeInput!) { ${sc.children
            .map((c, i) => `c${i}: child(id: "${c.id}") { chronology(purpose: $purpose) { ${shape.selection} } }`)
            .join(' ')} } ${FRAGMENT}`,
        }));
        const problems = s.children.flatMap((c, i) => {
          const page = data[`c${i}`]?.chronology;
          return page ? checkChronology(s, c.id, shape.entries(page), now, `chronology(c${i})`) : [];
        });
        assertAgrees(s, problems);
      }),
      { numRuns: RUNS.chronology },
    );
  });
});

/** The scenario record a chronology entry stands for, if it stands for one. */
function recordOfEntry(s: Scenario, entry: Record<string, unknown>): Scenario['records'][number] | undefined {
  const nested = entry.record as RecordNode | null | undefined;
  const provenance = entry.provenance as { kind: string; id: string } | undefined;
  const id = nested?.id ?? (provenance?.kind === 'RECORD' ? provenance.id : undefined) ?? (entry.recordId as string | undefined) ?? (entry.id as string | undefined);
  return s.records.find((r) => r.id === id);
}

/**
 * A chronology lists every record the viewer may know of, each as the policy decides: a FULL
 * entry carries the record's summary, a FLAG entry only says that information is held (never the
 * record's own words), and a HIDDEN record leaves no line at all.
 */
function checkChronology(s: Scenario, childId: string, entries: Array<Record<string, unknown>>, now: Date, where: string): string[] {
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const entry of entries) {
    const record = recordOfEntry(s, entry);
    if (!record) continue;
    listed.add(record.id);
    const decision = recordDecision(s, record.id, now);
    const label = `${where}: entry for ${record.sensitivity} ${record.category} of ${record.agencyCode}`;
    const nested = entry.record as RecordNode | null | undefined;
    if (nested) problems.push(...checkRecord(s, nested, now, `${where}.record`));
    if (decision.visibility === 'HIDDEN') {
      problems.push(`${label}: present but the policy hides it (${decision.reason})`);
      continue;
    }
    if ('visibility' in entry && entry.visibility !== decision.visibility) {
      problems.push(`${label}: visibility ${String(entry.visibility)}, policy says ${decision.visibility}`);
    }
    const summary = entry.summary;
    if (decision.visibility === 'FULL' && 'summary' in entry && summary !== record.summary) {
      problems.push(`${label}: summary ${JSON.stringify(summary)}, the record says ${JSON.stringify(record.summary)}`);
    }
    const leaked = [record.summary, record.detail, record.sourceRef].filter((text): text is string => text !== null);
    if (decision.visibility === 'FLAG' && leaked.some((text) => JSON.stringify(entry).includes(text))) {
      problems.push(`${label}: a FLAG entry shows the record's content`);
    }
  }
  for (const record of s.records.filter((r) => r.childId === childId && !listed.has(r.id))) {
    const decision = recordDecision(s, record.id, now);
    if (decision.visibility !== 'HIDDEN') problems.push(`${where}: ${record.sensitivity} ${record.category} of ${record.agencyCode} missing, policy says ${decision.visibility}`);
  }
  return problems;
}
