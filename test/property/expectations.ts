/**
 * What the pure policy says a scenario's viewer should see, and a comparison of an API answer
 * with it that lists every disagreement in words a reviewer can act on.
 */
import { decideChild, decideRecord } from '../../src/policy';
import type { RecordDecision } from '../../src/policy';
import type { Scenario } from './scenario';

export interface RecordNode {
  id: string;
  visibility: string;
  grounds: string[];
  summary: string | null;
  detail: string | null;
  sourceRef: string | null;
}

export interface Connection {
  totalCount?: number;
  edges: Array<{ node: RecordNode }>;
}

export interface ChildNode {
  id: string;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  address: string | null;
}

export interface Filter {
  agencyCodes?: string[];
  categories?: string[];
}

export function recordDecision(s: Scenario, recordId: string, now: Date): RecordDecision {
  const record = s.records.find((r) => r.id === recordId);
  if (!record) throw new Error(`record ${recordId} is not part of the scenario`);
  return decideRecord(s.viewer, record, s.facts.get(record.childId), now);
}

/** Checks one record as returned against the policy's decision; HIDDEN must never be returned. */
export function checkRecord(s: Scenario, node: RecordNode, now: Date, where: string): string[] {
  const record = s.records.find((r) => r.id === node.id);
  if (!record) return [`${where}: returned record ${node.id} that is not this child's (or not this scenario's)`];
  const decision = recordDecision(s, node.id, now);
  const label = `${where}: record ${record.sensitivity} ${record.category} of ${record.agencyCode}`;
  const problems: string[] = [];
  const expectEqual = (field: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(`${label}: ${field} is ${JSON.stringify(actual)}, policy says ${JSON.stringify(expected)} (${decision.reason})`);
    }
  };
  if (decision.visibility === 'HIDDEN') return [`${label}: returned as ${node.visibility} but the policy hides it (${decision.reason})`];
  expectEqual('visibility', node.visibility, decision.visibility);
  if (decision.visibility === 'FULL') {
    expectEqual('grounds', [...node.grounds].sort(), [...new Set(decision.grounds.map((g) => g.kind))].sort());
    expectEqual('summary', node.summary, record.summary);
    expectEqual('detail', node.detail, record.detail);
    expectEqual('sourceRef', node.sourceRef, record.sourceRef);
  } else {
    expectEqual('grounds', node.grounds, []);
    expectEqual('summary', node.summary, null);
    expectEqual('detail', node.detail, null);
    expectEqual('sourceRef', node.sourceRef, null);
  }
  return problems;
}

/** Checks a child's records connection: exactly the non-HIDDEN records (after the filter), each as decided. */
export function checkConnection(s: Scenario, childId: string, connection: Connection | null | undefined, now: Date, where: string, filter: Filter = {}): string[] {
  if (!connection) return [`${where}: no records connection returned`];
  const expected = s.records
    .filter((r) => r.childId === childId)
    .filter((r) => !filter.agencyCodes || filter.agencyCodes.includes(r.agencyCode))
    .filter((r) => !filter.categories || filter.categories.includes(r.category))
    .filter((r) => recordDecision(s, r.id, now).visibility !== 'HIDDEN')
    .map((r) => r.id)
    .sort();
  const returned = connection.edges.map((e) => e.node.id).sort();
  const problems: string[] = [];
  if (connection.totalCount !== undefined && connection.totalCount !== expected.length) {
    problems.push(`${where}: totalCount ${connection.totalCount}, policy says ${expected.length} records may be known`);
  }
  for (const id of expected.filter((id) => !returned.includes(id))) {
    const r = s.records.find((x) => x.id === id);
    problems.push(`${where}: record ${r?.sensitivity} ${r?.category} of ${r?.agencyCode} missing, policy says ${recordDecision(s, id, now).visibility}`);
  }
  for (const edge of connection.edges) problems.push(...checkRecord(s, edge.node, now, where));
  return problems;
}

/** Checks a child's own fields against decideChild; `node` null means the API hid the child. */
export function checkChild(s: Scenario, childId: string, node: ChildNode | null | undefined, now: Date, where: string): string[] {
  const child = s.children.find((c) => c.id === childId);
  if (!child) return [`${where}: child ${childId} is not part of the scenario`];
  const decision = decideChild(s.viewer, child, s.facts.get(childId), now);
  const label = `${where}: child (shielded ${child.shielded}, confidential address ${child.addressConfidential})`;
  if (decision.view === 'HIDDEN') return node ? [`${label}: returned, but the policy hides it (${decision.reason})`] : [];
  if (!node) return [`${label}: not returned, but the policy shows ${decision.view} (${decision.reason})`];
  const full = decision.view === 'FULL';
  const expected = {
    dateOfBirth: full ? child.dateOfBirth : null,
    nhsNumber: full ? child.nhsNumber : null,
    address: decision.address ? child.address : null,
  };
  const actual = { dateOfBirth: node.dateOfBirth, nhsNumber: node.nhsNumber, address: node.address };
  return JSON.stringify(actual) === JSON.stringify(expected)
    ? []
    : [`${label}: fields ${JSON.stringify(actual)}, policy says ${JSON.stringify(expected)} (${decision.view}: ${decision.reason})`];
}

/** Fails with the scenario and every disagreement, so a counterexample reads on its own. */
export function assertAgrees(s: Scenario, problems: readonly string[]): void {
  if (problems.length === 0) return;
  const world = {
    viewer: s.viewer,
    children: s.children.map((c) => ({ id: c.id, shielded: c.shielded, addressConfidential: c.addressConfidential, addressRecordedBy: c.addressRecordedByAgencyId })),
    records: s.records.map((r) => ({ id: r.id, child: r.childId, owner: r.agencyCode, category: r.category, sensitivity: r.sensitivity, author: r.authorSub })),
    facts: [...s.facts.values()],
  };
  throw new Error(`API and policy disagree:\n  ${problems.join('\n  ')}\nscenario: ${JSON.stringify(world, null, 1)}`);
}
