/** Who may submit records, work the match queue and merge children, as a table. */
import { mayMergeChildren, maySubmitRecords, mayWorkMatchQueue } from './ingest';
import { HEALTH, POLICE, SOCIAL_CARE, viewer } from './test-support/builders';
import type { PolicyViewer } from './types';

interface Row {
  readonly name: string;
  readonly viewer: PolicyViewer;
  readonly submit: boolean;
  readonly queue: boolean;
  readonly merge: boolean;
}

const rows: readonly Row[] = [
  { name: 'police integration script', viewer: viewer(POLICE, ['INTEGRATION']), submit: true, queue: false, merge: false },
  { name: 'health practitioner', viewer: viewer(HEALTH, ['PRACTITIONER']), submit: true, queue: false, merge: false },
  { name: 'MASH researcher', viewer: viewer(SOCIAL_CARE, ['MASH_RESEARCHER']), submit: true, queue: true, merge: false },
  { name: 'police manager', viewer: viewer(POLICE, ['MANAGER']), submit: true, queue: true, merge: false },
  { name: 'social care manager', viewer: viewer(SOCIAL_CARE, ['MANAGER']), submit: true, queue: true, merge: true },
  { name: 'data protection officer', viewer: viewer(SOCIAL_CARE, ['DPO']), submit: false, queue: false, merge: false },
  { name: 'administrator', viewer: viewer(SOCIAL_CARE, ['ADMIN']), submit: false, queue: false, merge: false },
  { name: 'administrator who is also a practitioner', viewer: viewer(HEALTH, ['ADMIN', 'PRACTITIONER']), submit: true, queue: false, merge: false },
];

describe('ingest policy', () => {
  it.each(rows)('$name', (row) => {
    expect(maySubmitRecords(row.viewer)).toBe(row.submit);
    expect(mayWorkMatchQueue(row.viewer)).toBe(row.queue);
    expect(mayMergeChildren(row.viewer)).toBe(row.merge);
  });
});
