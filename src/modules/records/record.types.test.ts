import type { RecordView } from '../../access/views';
import { toSharedRecord } from './record.types';

describe('toSharedRecord', () => {
  // Every field of the view, each with a value no other field has: a field the record forgot to
  // copy reads as undefined, and one copied from the wrong field reads as another field's value.
  const view: RecordView = {
    id: 'record-1',
    childId: 'child-1',
    agency: { id: 'agency-1', code: 'NHEALTH', name: 'Northshire Health', kind: 'HEALTH' },
    category: 'HEALTH_CONTACT',
    sensitivity: 'SENSITIVE',
    occurredAt: new Date('2024-01-02T03:04:05.000Z'),
    recordedAt: new Date('2024-01-03T03:04:05.000Z'),
    version: 3,
    visibility: 'FULL',
    grounds: [{ kind: 'CONSENT', id: 'consent-1' }, { kind: 'CONSENT', id: 'consent-2' }, { kind: 'LAWFUL_BASIS', id: 'basis-1' }],
    sourceRef: 'HV-123',
    summary: 'Health visitor contact',
    detail: 'Seen at home',
    factorCodes: ['1A', '2B'],
    enquiryId: 'enquiry-1',
    underBreakGlass: true,
  };

  it('shows every field of the view as the access layer made it', () => {
    const record = toSharedRecord(view) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(view)) {
      if (key === 'grounds' || key === 'factorCodes') continue;
      expect([key, record[key]]).toEqual([key, value]);
    }
    expect(record.grounds).toEqual(['CONSENT', 'LAWFUL_BASIS']);
    expect(record.groundRefs).toEqual(view.grounds);
    expect(record.factorCodes).toEqual(['1A', '2B']);
    expect(record.howToRequest).toBeNull();
  });

  it('tells a FLAG how to ask for the content', () => {
    const record = toSharedRecord({ ...view, visibility: 'FLAG', grounds: [], summary: null, detail: null, factorCodes: null });
    expect(record.howToRequest).toBe('Information is held by Northshire Health (NHEALTH); ask for it with requestAccess(recordId: "record-1", purpose).');
    expect(record.grounds).toEqual([]);
    expect(record.factorCodes).toBeNull();
  });
});
