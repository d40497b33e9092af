import type { Hub } from '../support/harness';

export const SUBMIT = `mutation Submit($records: [RecordInput!]!) {
  submitRecords(records: $records) {
    results { index sourceRef status recordId childId version matchId errors { field message code } }
    created updated unchanged pendingMatch failed
  }
}`;

export interface SubmitResult {
  index: number;
  sourceRef: string | null;
  status: string;
  recordId: string | null;
  childId: string | null;
  version: number | null;
  matchId: string | null;
  errors: Array<{ field: string; message: string; code: string }>;
}

export interface SubmitPayload {
  results: SubmitResult[];
  created: number;
  updated: number;
  unchanged: number;
  pendingMatch: number;
  failed: number;
}

export async function submit(hub: Hub, token: string, records: unknown[]): Promise<SubmitPayload> {
  const res = await hub.gql<{ submitRecords: SubmitPayload }>(SUBMIT, { records }, token);
  if (res.errors || !res.data) throw new Error(`submitRecords failed: ${JSON.stringify(res.errors)}`);
  return res.data.submitRecords;
}

let serial = 0;
/** A valid incident about a child named by NHS number, with full demographics. */
export function incident(sourceRef: string, nhsNumber: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  serial += 1;
  return {
    sourceRef,
    child: { nhsNumber, givenName: 'Ada', familyName: `Ingest${nhsNumber}`, dateOfBirth: '2013-03-04', gender: 'FEMALE', postcode: 'NT1 2AB' },
    category: 'POLICE_INCIDENT',
    occurredAt: new Date(Date.UTC(2025, 1, 1) + serial * 60_000).toISOString(),
    summary: `Incident ${sourceRef}`,
    detail: 'Officers attended; child present.',
    factorCodes: ['3A'],
    ...overrides,
  };
}

export async function count(hub: Hub, table: string): Promise<number> {
  const [row] = await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row.n);
}
