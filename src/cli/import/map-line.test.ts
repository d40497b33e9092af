import { readFileSync } from 'node:fs';
import path from 'node:path';
import { makeUpn } from '../../domain/identifiers';
import { mapLine, parseInstant } from './map-line';
import { profileFor } from './profiles';
import { readLines } from './read-lines';
import { columnOf } from './run-import';
import { errorsCsv } from './errors-file';

const NOW = new Date('2025-06-01T12:00:00Z');
const police = profileFor('POLICE');
const school = profileFor('EDUCATION');
const good = {
  source_ref: 'INC-1',
  nhs_number: '943 476 5919',
  given_name: 'Ava',
  family_name: 'Fictional',
  date_of_birth: '2014-05-17',
  gender: 'f',
  postcode: 'nt11aa',
  occurred_at: '2025-03-01 22:15',
  summary: 'Police attended a domestic incident',
  factor_codes: '3A; 3B',
};

describe('mapLine', () => {
  it('maps a police line, normalising identifiers and applying the default category', () => {
    const mapped = mapLine({ line: 2, fields: good }, police, NOW);
    expect(mapped).toEqual({
      ok: true,
      line: 2,
      input: {
        sourceRef: 'INC-1',
        child: { nhsNumber: '9434765919', givenName: 'Ava', familyName: 'Fictional', dateOfBirth: '2014-05-17', gender: 'FEMALE', postcode: 'NT1 1AA' },
        category: 'POLICE_INCIDENT',
        occurredAt: '2025-03-01T22:15:00.000Z',
        summary: 'Police attended a domestic incident',
        factorCodes: ['3A', '3B'],
      },
    });
  });

  it('reads the aliases of the agency kind', () => {
    const upn = makeUpn('881200015001');
    const mapped = mapLine({ line: 3, fields: { 'Concern ID': 'C-9', 'Pupil UPN': upn, 'Concern Date': '2025-01-10', Summary: 'Late most days' } }, school, NOW);
    expect(mapped.ok && mapped.input).toMatchObject({ sourceRef: 'C-9', child: { upn }, category: 'EDUCATION_CONCERN', occurredAt: '2025-01-10T00:00:00.000Z' });
  });

  it('reports every problem on a line with the column it is about', () => {
    const mapped = mapLine(
      { line: 7, fields: { ...good, nhs_number: '9434765918', date_of_birth: '2014-02-30', category: 'BURGLARY', factor_codes: '3A;99Z', summary: '' } },
      police,
      NOW,
    );
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.sourceRef).toBe('INC-1');
    expect(mapped.problems.map((p) => p.field).sort()).toEqual(['category', 'date_of_birth', 'factor_codes', 'nhs_number', 'summary']);
  });

  it('refuses a line that does not say which child it is about', () => {
    const mapped = mapLine({ line: 4, fields: { source_ref: 'X', given_name: 'Ava', occurred_at: '2025-01-01', summary: 's' } }, police, NOW);
    expect(!mapped.ok && mapped.problems.map((p) => p.field)).toEqual(['child']);
  });

  it('refuses an event in the future and a missing source_ref', () => {
    const mapped = mapLine({ line: 5, fields: { ...good, source_ref: ' ', occurred_at: '2026-01-01' } }, police, NOW);
    expect(!mapped.ok && mapped.problems.map((p) => p.field).sort()).toEqual(['occurred_at', 'source_ref']);
  });
});

describe('parseInstant', () => {
  it.each([
    ['2025-03-01', '2025-03-01T00:00:00.000Z'],
    ['2025-03-01T10:00:00+01:00', '2025-03-01T09:00:00.000Z'],
    ['2025-03-01T10:00Z', '2025-03-01T10:00:00.000Z'],
    ['2025-02-29', null],
    ['01/03/2025', null],
  ])('%s → %s', (input, expected) => expect(parseInstant(input)).toBe(expected));
});

describe('readLines', () => {
  it('numbers CSV records by the line they end on and reports a line with the wrong field count', async () => {
    const read = await readLines('source_ref,summary\nA,"two\nlines"\nB\n\nC,ok\n', 'csv');
    expect(read.lines.map((l) => [l.line, l.fields.source_ref])).toEqual([[3, 'A'], [6, 'C']]);
    expect(read.broken).toEqual([{ line: 4, message: 'has 1 fields; the header has 2' }]);
  });

  it('keeps a quote inside an unquoted field as text, and reads every line around one it cannot read', async () => {
    const read = await readLines('source_ref,summary\nA,he said "no" twice\nB,"quoted"then more\nC,ok\nD,"never closed\nE,lost\n', 'csv');
    expect(read.lines.map((l) => [l.line, l.fields.source_ref, l.fields.summary])).toEqual([
      [2, 'A', 'he said "no" twice'],
      [3, 'B', '"quoted"then more'],
      [4, 'C', 'ok'],
    ]);
    expect(read.broken).toEqual([{ line: 5, message: 'opens a quote that is never closed, so it and the 1 line after it could not be read' }]);
  });

  it('reads a quoted field after a space, skips a line of spaces, and numbers a quote never closed after blank lines', async () => {
    const read = await readLines('source_ref,summary\nA, "Smith, John"\n   \nB,ok\n\n\nC,"never closed\nD,lost\n', 'csv');
    expect(read.lines.map((l) => [l.line, l.fields.source_ref, l.fields.summary])).toEqual([[2, 'A', 'Smith, John'], [4, 'B', 'ok']]);
    expect(read.broken).toEqual([{ line: 7, message: 'opens a quote that is never closed, so it and the 1 line after it could not be read' }]);
  });

  it('numbers lines right in a file whose lines end both ways, and trims fields', async () => {
    const read = await readLines(' source_ref , summary \nA, first \r\nB,"second"\r\nC,third', 'csv');
    expect(read.headers).toEqual(['source_ref', 'summary']);
    expect(read.lines.map((l) => [l.line, l.fields.source_ref, l.fields.summary])).toEqual([[2, 'A', 'first'], [3, 'B', 'second'], [4, 'C', 'third']]);
    expect(read.broken).toEqual([]);
  });

  it('reads JSON Lines with column or GraphQL names and a nested child', async () => {
    const read = await readLines('{"sourceRef":"A","child":{"nhsNumber":"9434765919"}}\n\nnot json\n[1]\n', 'jsonl');
    expect(read.lines).toEqual([{ line: 1, fields: { nhs_number: '9434765919', source_ref: 'A' } }]);
    expect(read.broken).toEqual([{ line: 3, message: 'is not valid JSON' }, { line: 4, message: 'is not a JSON object' }]);
  });
});

describe('reporting', () => {
  it('maps a hub field path back to the column name', () => {
    expect(columnOf('records.3.child.nhsNumber')).toBe('nhs_number');
    expect(columnOf('occurredAt')).toBe('occurred_at');
    expect(columnOf('records[2]')).toBe('record');
  });

  it('quotes error messages that contain commas', () => {
    expect(errorsCsv([{ line: 2, sourceRef: 'A', field: 'upn', code: 'INVALID', message: 'bad, really' }])).toBe(
      'line,source_ref,field,code,message\n2,A,upn,INVALID,"bad, really"\n',
    );
  });
});

describe('docs/examples', () => {
  it.each([
    ['police-incidents.csv', 'POLICE', 3],
    ['health-contacts.jsonl', 'HEALTH', 3],
    ['school-concerns.csv', 'EDUCATION', 3],
    ['social-care.csv', 'SOCIAL_CARE', 2],
  ] as const)('%s is valid for %s throughout', async (file, kind, count) => {
    const content = readFileSync(path.join(__dirname, '../../../docs/examples', file), 'utf8');
    const read = await readLines(content, file.endsWith('.csv') ? 'csv' : 'jsonl');
    const mapped = read.lines.map((line) => mapLine(line, profileFor(kind), NOW));
    expect(read.broken).toEqual([]);
    expect(mapped.filter((m) => !m.ok)).toEqual([]);
    expect(mapped).toHaveLength(count);
  });
});
