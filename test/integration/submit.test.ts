import { createCounty, nhsNumberFor, upnFor, type County } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';
import { count, incident, submit, SUBMIT } from './submit-support';

describe('submitRecords: batches from agency systems', () => {
  let hub: Hub;
  let county: County;
  let policeFeed: string;
  beforeAll(async () => {
    hub = await startHub();
    county = await createCounty(hub);
    policeFeed = hub.token('NPOL', ['INTEGRATION'], 'npol-rms');
  });
  afterAll(() => hub.stop());

  it('saves the good items of a batch with one bad item, and names the bad field', async () => {
    const batch = [incident('ONE-1', nhsNumberFor(1001)), incident('ONE-2', '9434765918'), incident('ONE-3', nhsNumberFor(1003))];
    const out = await submit(hub, policeFeed, batch);
    expect(out.results.map((r) => r.status)).toEqual(['CREATED', 'FAILED', 'CREATED']);
    expect(out.results[1].errors).toEqual([expect.objectContaining({ field: 'records[1].child.nhsNumber', code: 'INVALID_NHS_NUMBER' })]);
    expect(out).toMatchObject({ created: 2, failed: 1 });
    const saved = await hub.sql<{ source_ref: string }>(`SELECT source_ref FROM shared_record WHERE source_ref LIKE 'ONE-%' ORDER BY source_ref`);
    expect(saved.map((r) => r.source_ref)).toEqual(['ONE-1', 'ONE-3']);
    const [audited] = await hub.sql<{ ids: string[] }>(
      `SELECT array_agg(id ORDER BY id) AS ids FROM (SELECT unnest(result_ids)::text AS id FROM audit_event WHERE action = 'RECORD_SUBMIT') t`);
    expect(audited.ids).toEqual([out.results[0].recordId, out.results[2].recordId].sort());
  });

  it('reports a retried batch UNCHANGED and writes nothing', async () => {
    const batch = [incident('RETRY-1', nhsNumberFor(2001)), incident('RETRY-2', nhsNumberFor(2002))];
    const first = await submit(hub, policeFeed, batch);
    expect(first.created).toBe(2);
    const before = await Promise.all(['shared_record', 'record_version', 'child', 'child_identifier', 'audit_event', 'match_queue'].map((t) => count(hub, t)));
    const again = await submit(hub, policeFeed, batch);
    expect(again.results.map((r) => [r.status, r.version, r.recordId])).toEqual(first.results.map((r) => ['UNCHANGED', 1, r.recordId]));
    const after = await Promise.all(['shared_record', 'record_version', 'child', 'child_identifier', 'audit_event', 'match_queue'].map((t) => count(hub, t)));
    expect(after).toEqual(before);
  });

  it('files changed content as version 2 and keeps version 1', async () => {
    const original = incident('UPD-1', nhsNumberFor(3001));
    const [created] = (await submit(hub, policeFeed, [original])).results;
    const [updated] = (await submit(hub, policeFeed, [{ ...original, summary: 'Incident UPD-1, corrected' }])).results;
    expect(updated).toMatchObject({ status: 'UPDATED', version: 2, recordId: created.recordId, childId: created.childId });
    const versions = await hub.sql<{ version: number; summary: string }>(`SELECT version, summary FROM record_version WHERE record_id = $1 ORDER BY version`, [created.recordId]);
    expect(versions).toEqual([{ version: 1, summary: 'Incident UPD-1' }, { version: 2, summary: 'Incident UPD-1, corrected' }]);
    const [head] = await hub.sql<{ current_version: number }>(`SELECT current_version FROM shared_record WHERE id = $1`, [created.recordId]);
    expect(head.current_version).toBe(2);
  });

  it("names one agency's new records with ids sharing their first eight digits, another agency's apart", async () => {
    const police = await submit(hub, policeFeed, [incident('IDS-1', nhsNumberFor(3101)), incident('IDS-2', nhsNumberFor(3102)), incident('IDS-3', nhsNumberFor(3103))]);
    const health = await submit(hub, hub.token('NHEALTH', ['INTEGRATION'], 'nhealth-pas'), [incident('IDS-1', nhsNumberFor(3101), { category: 'HEALTH_CONTACT' })]);
    const ids = police.results.map((r) => r.recordId as string);
    const [healthId] = health.results.map((r) => r.recordId as string);
    // RFC 9562 version 8 with the RFC's variant; random apart from the shared prefix (docs/integration.md).
    for (const id of [...ids, healthId]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBe(1);
    expect(new Set(ids).size).toBe(3);
    expect(healthId.slice(0, 8)).not.toBe(ids[0].slice(0, 8));
  });

  it('ends concurrent batches for the same sourceRef with one version per distinct content', async () => {
    const base = incident('RACE-1', nhsNumberFor(4001));
    const contents = ['first account', 'second account', 'first account', 'third account', 'second account', 'first account'];
    const outs = await Promise.all(contents.map((summary) => submit(hub, policeFeed, [{ ...base, summary }])));
    expect(outs.flatMap((o) => o.results.map((r) => r.status)).every((s) => ['CREATED', 'UPDATED', 'UNCHANGED'].includes(s))).toBe(true);
    const versions = await hub.sql<{ summary: string; version: number }>(
      `SELECT v.summary, v.version FROM record_version v JOIN shared_record r ON r.id = v.record_id WHERE r.source_ref = 'RACE-1' ORDER BY v.version`,
    );
    expect(versions.map((v) => v.summary).sort()).toEqual(['first account', 'second account', 'third account']);
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(await hub.sql(`SELECT 1 FROM child WHERE nhs_number = $1`, [nhsNumberFor(4001)])).toHaveLength(1);
  });

  it("writes as the token's agency only: an integration cannot write another agency's records", async () => {
    const healthFeed = hub.token('NHEALTH', ['INTEGRATION'], 'nhealth-epr');
    const item = incident('SHARED-REF-1', nhsNumberFor(5001), { category: 'HEALTH_CONTACT' });
    const police = (await submit(hub, policeFeed, [item])).results[0];
    const health = (await submit(hub, healthFeed, [{ ...item, summary: 'Health says otherwise' }])).results[0];
    expect(health.status).toBe('CREATED');
    expect(health.recordId).not.toBe(police.recordId);
    const rows = await hub.sql<{ id: string; agency_id: string }>(`SELECT id, agency_id FROM shared_record WHERE source_ref = 'SHARED-REF-1'`);
    expect(new Map(rows.map((r) => [r.id, r.agency_id]))).toEqual(new Map([[police.recordId, county.police.id], [health.recordId, county.health.id]]));
    const forged = await hub.gql(SUBMIT, { records: [{ ...item, agencyId: county.health.id }] }, policeFeed);
    expect(errorCode(forged)).toBe('BAD_USER_INPUT');
  });

  const tooLong = 'x'.repeat(301);
  it.each<[string, Record<string, unknown>, string, string]>([
    ['bad NHS number', { child: { nhsNumber: '1234567890', givenName: 'A', familyName: 'B' } }, 'records[0].child.nhsNumber', 'INVALID_NHS_NUMBER'],
    ['bad UPN', { child: { upn: 'A801200005001', givenName: 'A', familyName: 'B' } }, 'records[0].child.upn', 'INVALID_UPN'],
    ['future occurredAt', { occurredAt: new Date(Date.now() + 3600_000).toISOString() }, 'records[0].occurredAt', 'IN_FUTURE'],
    ['too-long summary', { summary: tooLong }, 'records[0].summary', 'TOO_LONG'],
    ['unknown factor code', { factorCodes: ['3A', '99Z'] }, 'records[0].factorCodes[1]', 'UNKNOWN_FACTOR_CODE'],
    ['future date of birth', { child: { givenName: 'A', familyName: 'B', dateOfBirth: '2999-01-01' } }, 'records[0].child.dateOfBirth', 'IN_FUTURE'],
    ['unknown enquiry', { enquiryId: '00000000-0000-4000-8000-000000000000' }, 'records[0].enquiryId', 'ENQUIRY_NOT_FOUND'],
    ['child not named', { child: { postcode: 'NT1 2AB' } }, 'records[0].child', 'CHILD_UNIDENTIFIED'],
  ])('refuses an item with a %s, naming the field', async (_name, overrides, field, code) => {
    const out = await submit(hub, policeFeed, [incident(`VAL-${code}-${field}`, nhsNumberFor(6001), overrides)]);
    expect(out.results[0].status).toBe('FAILED');
    expect(out.results[0].errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
  });

  it('accepts a valid UPN and a few minutes of clock skew', async () => {
    const out = await submit(hub, policeFeed, [incident('SKEW-1', nhsNumberFor(6101), { occurredAt: new Date(Date.now() + 60_000).toISOString(), child: { upn: upnFor(6101), givenName: 'Skew', familyName: 'Upnchild', dateOfBirth: '2012-01-01', gender: 'MALE' } })]);
    expect(out.results[0].status).toBe('CREATED');
  });

  it('refuses more than 1,000 items naming records, and roles that do not submit', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => incident(`MANY-${i}`, nhsNumberFor(7000 + i)));
    const res = await hub.gql(SUBMIT, { records: many }, policeFeed);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('records');
    for (const role of ['DPO', 'ADMIN'] as const) {
      expect(errorCode(await hub.gql(SUBMIT, { records: [incident('DPO-1', nhsNumberFor(7999))] }, hub.token('NCSC', [role])))).toBe('FORBIDDEN');
    }
  });

  it('issues the same number of SQL statements for 10 items as for 500', async () => {
    const children = [...new Set(Array.from({ length: 600 }, (_, i) => nhsNumberFor(90_000 + i * 3)))].slice(0, 510);
    await hub.sql(
      `INSERT INTO child (given_name, family_name, date_of_birth, gender, nhs_number)
       SELECT 'Bulk', 'Child' || n, '2012-06-01', 'MALE', n FROM unnest($1::text[]) AS n`,
      [children],
    );
    const statementsFor = async (prefix: string, nhs: string[]) => {
      hub.queries.reset();
      const out = await submit(hub, policeFeed, nhs.map((n, i) => ({ ...incident(`${prefix}-${i}`, n), child: { nhsNumber: n } })));
      expect(out.created).toBe(nhs.length);
      return hub.queries.count;
    };
    const ten = await statementsFor('BOUND10', children.slice(0, 10));
    const fiveHundred = await statementsFor('BOUND500', children.slice(10));
    expect(fiveHundred).toBe(ten);
    expect(ten).toBeLessThan(30);
  });

  it('isolates an item the database refuses unexpectedly, saving the rest', async () => {
    const batch = [incident('ISO-1', nhsNumberFor(8101)), incident('ISO-2', nhsNumberFor(8102), { summary: 'NUL \u0000 byte' }), incident('ISO-3', nhsNumberFor(8103))];
    const out = await submit(hub, policeFeed, batch);
    expect(out.results.map((r) => r.status)).toEqual(['CREATED', 'FAILED', 'CREATED']);
    expect(out.results[1].errors[0]).toMatchObject({ field: 'records[1]', code: 'NOT_STORED' });
    expect(await hub.sql(`SELECT 1 FROM shared_record WHERE source_ref IN ('ISO-1', 'ISO-3')`)).toHaveLength(2);
  });

  it('refuses an UPDATE or DELETE issued directly against record versions', async () => {
    const [row] = await hub.sql<{ record_id: string }>(`SELECT record_id FROM record_version LIMIT 1`);
    await expect(hub.sql(`UPDATE record_version SET summary = 'rewritten' WHERE record_id = $1`, [row.record_id])).rejects.toThrow(/append-only/);
    await expect(hub.sql(`DELETE FROM record_version WHERE record_id = $1`, [row.record_id])).rejects.toThrow(/append-only/);
  });
});
