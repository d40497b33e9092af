import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createChild, createCounty } from '../factories';
import { startHub, type Hub } from '../support/harness';
import { runImport, ImportRefused } from '../../src/cli/import/run-import';

const dir = mkdtempSync(path.join(tmpdir(), 'mash-import-'));
const MISSING_CHILD = '00000000-0000-4000-8000-000000000000';

describe('import tool against a running hub', () => {
  let hub: Hub;
  let token: string;
  let file: string;
  beforeAll(async () => {
    hub = await startHub();
    await createCounty(hub);
    await createChild(hub, { nhsNumber: '9990001006', givenName: 'Ava', familyName: 'Exampleton', dateOfBirth: '2014-05-17' });
    await createChild(hub, { nhsNumber: '9990001014', givenName: 'Mia', familyName: 'Fictionally', dateOfBirth: '2012-01-22' });
    token = hub.token('NPOL', ['INTEGRATION'], 'police-rms');
    file = path.join(dir, 'incidents.csv');
    writeFileSync(
      file,
      [
        'incident_ref,nhs_number,child_id,forename,surname,dob,sex,category,incident_date,summary,factor_codes',
        'INC-1,9990001006,,Ava,Exampleton,2014-05-17,F,DOMESTIC_ABUSE,2025-03-01T22:15:00Z,Officers attended a domestic incident,3B',
        'INC-2,9990001007,,Ava,Exampleton,2014-05-17,F,,2025-03-02,Bad check digit,',
        'INC-3,9990001014,,Mia,Fictionally,2012-01-22,F,BURGLARY,2025-03-03,Unknown category,',
        'INC-4,9990001014,,Mia,Fictionally,2012-01-22,F,,2025-03-04',
        `INC-5,,${MISSING_CHILD},,,,,,2025-03-05,Names a hub child that does not exist,`,
        'INC-6,9990001014,,Mia,Fictionally,2012-01-22,F,MISSING_EPISODE,2025-03-06 19:40,Reported missing from home,10A',
      ].join('\n') + '\n',
    );
  });
  afterAll(() => hub.stop());

  const importOnce = (errorsFile: string) =>
    runImport({ url: hub.url, token, agency: 'NPOL', file, errorsFile, backoffMs: 10, retries: 1 });

  it('saves the good lines and names every bad line with its reason in the errors file', async () => {
    const errorsFile = path.join(dir, 'errors-1.csv');
    const summary = await importOnce(errorsFile);
    expect(summary).toMatchObject({ lines: 6, created: 2, failed: 4 });

    const errors = readFileSync(errorsFile, 'utf8').trim().split('\n');
    expect(errors[0]).toBe('line,source_ref,field,code,message');
    const byLine = errors.slice(1).map((row) => row.split(',').slice(0, 3).join(','));
    expect(byLine).toEqual(['3,INC-2,nhs_number', '4,INC-3,category', '5,,line', `6,INC-5,child_id`]);

    const saved = await hub.sql<{ source_ref: string; category: string; factor_codes: string[] }>(
      `SELECT r.source_ref, v.category, v.factor_codes FROM shared_record r
       JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version
       JOIN agency a ON a.id = r.agency_id WHERE a.code = 'NPOL' ORDER BY r.source_ref`,
    );
    expect(saved).toEqual([
      { source_ref: 'INC-1', category: 'DOMESTIC_ABUSE', factor_codes: ['3B'] },
      { source_ref: 'INC-6', category: 'MISSING_EPISODE', factor_codes: ['10A'] },
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const versionsBefore = await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM record_version`);
    const summary = await importOnce(path.join(dir, 'errors-2.csv'));
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 2, pendingMatch: 0 });
    const versionsAfter = await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM record_version`);
    expect(versionsAfter).toEqual(versionsBefore);
  });

  it("refuses, sending nothing, when the token is not the named agency's", async () => {
    const before = await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM shared_record`);
    await expect(runImport({ url: hub.url, token, agency: 'NHEALTH', file })).rejects.toThrow(ImportRefused);
    const practitioner = hub.token('NPOL', ['PRACTITIONER'], 'officer');
    await expect(runImport({ url: hub.url, token: practitioner, agency: 'NPOL', file })).rejects.toThrow(/INTEGRATION/);
    expect(await hub.sql(`SELECT count(*) AS n FROM shared_record`)).toEqual(before);
  });

  it('names a bad field by the file\'s own header, as the user wrote it', async () => {
    const aliased = path.join(dir, 'aliased.csv');
    writeFileSync(aliased, [
      'incident_ref,NHS No,forename,surname,dob,sex,category,incident_date,summary',
      'INC-A1,9990001006,Ava,Exampleton,2014-05-17,F,DOMESTIC_ABUSE,31/02/2025,Date that does not exist',
    ].join('\n') + '\n');
    const errorsFile = path.join(dir, 'errors-aliased.csv');
    await runImport({ url: hub.url, token, agency: 'NPOL', file: aliased, errorsFile, backoffMs: 10, retries: 1 });
    const [, row] = readFileSync(errorsFile, 'utf8').trim().split('\n');
    expect(row.split(',').slice(0, 3).join(',')).toBe('2,INC-A1,incident_date');
  });

  it('keeps stray quotes in free text, and sends the lines before a quote that is never closed', async () => {
    const quoted = path.join(dir, 'quoted.csv');
    writeFileSync(
      quoted,
      [
        'incident_ref,nhs_number,child_id,forename,surname,dob,sex,category,incident_date,summary,factor_codes',
        'INC-Q1,9990001006,,Ava,Exampleton,2014-05-17,F,DOMESTIC_ABUSE,2025-04-01,Mother said "he will be back" to officers,3B',
        'INC-Q2,9990001014,,Mia,Fictionally,2012-01-22,F,"MISSING_EPISODE,2025-04-02,Quote opened and never closed,',
        'INC-Q3,9990001014,,Mia,Fictionally,2012-01-22,F,MISSING_EPISODE,2025-04-03,Swallowed by the open quote,',
      ].join('\n') + '\n',
    );
    const errorsFile = path.join(dir, 'errors-quoted.csv');
    const summary = await runImport({ url: hub.url, token, agency: 'NPOL', file: quoted, errorsFile, backoffMs: 10, retries: 1 });
    expect(summary).toMatchObject({ created: 1, failed: 1 });
    const errors = readFileSync(errorsFile, 'utf8').trim().split('\n');
    expect(errors.slice(1).map((row) => row.split(',').slice(0, 3).join(','))).toEqual(['3,,line']);
    expect(errors[1]).toContain('opens a quote that is never closed, so it and the 1 line after it could not be read');
    const [saved] = await hub.sql<{ summary: string }>(
      `SELECT v.summary FROM shared_record r JOIN record_version v ON v.record_id = r.id WHERE r.source_ref = 'INC-Q1'`,
    );
    expect(saved.summary).toBe('Mother said "he will be back" to officers');
  });
});

describe('import tool against a hub with a small body limit', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub({ MAX_BODY_SIZE: '32kb' });
    await createCounty(hub);
    await createChild(hub, { nhsNumber: '9990001006', givenName: 'Ava', familyName: 'Exampleton', dateOfBirth: '2014-05-17' });
  });
  afterAll(() => hub.stop());

  it('sends a batch the hub finds too large in parts, and names a line too large to send at all', async () => {
    const file = path.join(dir, 'long-narratives.csv');
    const line = (n: number, detail: string) => `LONG-${n},9990001006,Ava,Exampleton,2014-05-17,F,DOMESTIC_ABUSE,2025-05-01,Long account ${n},${detail}`;
    writeFileSync(
      file,
      [
        'incident_ref,nhs_number,forename,surname,dob,sex,category,incident_date,summary,detail',
        ...Array.from({ length: 20 }, (_, i) => line(i + 1, 'x'.repeat(10_000))),
        // 20,000 characters (the most a narrative may hold) of two bytes each: over 32 KB alone.
        line(21, 'é'.repeat(20_000)),
      ].join('\n') + '\n',
    );
    const errorsFile = path.join(dir, 'errors-long.csv');
    const token = hub.token('NPOL', ['INTEGRATION'], 'police-rms');
    const summary = await runImport({ url: hub.url, token, agency: 'NPOL', file, errorsFile, backoffMs: 10, retries: 1 });
    expect(summary).toMatchObject({ lines: 21, created: 20, failed: 1 });
    const errors = readFileSync(errorsFile, 'utf8').trim().split('\n');
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatch(/^22,LONG-21,batch,BAD_USER_INPUT,.*this line alone is larger than the hub accepts/);
    const [{ n }] = await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM shared_record WHERE source_ref LIKE 'LONG-%'`);
    expect(Number(n)).toBe(20);
  });
});
