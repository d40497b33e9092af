/**
 * child.search_name is made by the database (migration MatchName) and compared with the key the
 * hub makes of a submitted or searched name (normaliseName): the two must agree, or a name stored
 * as given never matches itself as submitted.
 */
import fc from 'fast-check';
import { normaliseName } from '../../src/domain/identifiers';
import { MatchNameEveryScript1732252400000 } from '../../migrations/1732252400000-MatchNameEveryScript';
import { createCounty } from '../factories';
import { startHub, type Hub } from '../support/harness';

// Latin letters with and without accents, the folded letters in both cases, apostrophes, hyphens,
// punctuation, spaces of several kinds, digits and a ligature: what names in agency systems hold.
// Greek capitals and sigmas (whose lower case depends on where in a word they stand), Devanagari
// letters with a vowel sign and a virama, and Arabic-Indic digits, among the rest.
const NAME_CHARACTERS = [
  ...'abcxyzABCXYZ', ...'éÉèöÖüÜñçåÅãõøØłŁđĐðþÞßẞæÆœŒıİħĦ', ...'ễịặ', "'", '’', 'ʼ', '`', '´', '-', '‐', '–', '—', '−',
  '.', ',', '(', ')', '/', '&', ' ', '  ', '\t', '\u00a0', '0', '7', 'ﬁ', ...'ΑΣΩσςάϲ', ...'कषण', '\u0943', '\u094d', '\u0663',
];

describe('match_name (the database) and normaliseName (the hub)', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
    await createCounty(hub);
  });
  afterAll(() => hub.stop());

  const inDatabase = async (names: readonly string[]): Promise<string[]> => {
    const rows = await hub.sql<{ m: string }>(`SELECT match_name(n) AS m FROM unnest($1::text[]) WITH ORDINALITY AS x(n, i) ORDER BY i`, [names]);
    return rows.map((r) => r.m);
  };

  it('agree on names as agency systems hold them', async () => {
    const names = ['Zoë Brontë', 'Jörg Süß', 'ŁUKASZ Øster', 'O’Brien – Smith', 'St. John, Mary', '  José   García ', 'ﬁona', 'Æthelred Þór', 'İlker', 'Nguyễn Thị', 'Иван'];
    expect(await inDatabase(names)).toEqual(names.map(normaliseName));
  });

  it('agree on generated names', async () => {
    const names = fc.sample(fc.array(fc.constantFrom(...NAME_CHARACTERS), { maxLength: 24 }).map((cs) => cs.join('')), { numRuns: 2000, seed: 20261122 });
    expect(await inDatabase(names)).toEqual(names.map(normaliseName));
  });

  it('agree on Greek names, a final sigma folded to the plain one', async () => {
    const names = ['ΟΔΥΣΣΕΥΣ', 'Οδυσσέας', 'ΝΙΚΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ', 'Σοφία'];
    expect(await inDatabase(names)).toEqual(names.map(normaliseName));
    expect(normaliseName('ΟΔΥΣΣΕΥΣ')).toBe('οδυσσευσ');
    expect(normaliseName('Οδυσσέας')).toBe('οδυσσεασ');
  });

  it('agree on names in other scripts, their combining signs kept', async () => {
    const names = ['कृष्ण', 'ਗੁਰਪ੍ਰੀਤ', 'সৌমিত্র', 'முருகன்', 'محمد', 'יִצְחָק', 'Αλέξανδρος', 'Анна-Мария', 'Անի', 'ნინო', '李小龍', 'さくら', '김민준', 'สมชาย'];
    expect(await inDatabase(names)).toEqual(names.map(normaliseName));
    // A symbol that is also a letter (Alphabetic, not a letter by general category) is kept by both.
    expect(await inDatabase(['\u{1f170}nna'])).toEqual(['\u{1f170}nna']);
    expect(normaliseName('\u{1f170}nna')).toBe('\u{1f170}nna');
    // A virama is part of the spelling: neither side splits the name at it.
    expect(normaliseName('कृष्ण')).toBe('कृष्ण');
  });

  it('agree on every mark, number, punctuation mark, symbol and space in the database\'s Unicode tables', async () => {
    // Marks and numbers are kept, the rest made a space: checked both ways for each on its own.
    const signs: string[] = [];
    // From 1: PostgreSQL text cannot hold a NUL.
    for (let code = 1; code <= 0x10ffff; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const c = String.fromCodePoint(code);
      if (/[\p{M}\p{N}\p{P}\p{S}\p{Z}\p{Cc}]/u.test(c)) signs.push(c);
    }
    // A sign newer than the database's Unicode version decomposes in the hub and not there (an
    // older PostgreSQL server): those are left out, and there must be few.
    const decomposed = await hub.sql<{ d: string }>(`SELECT normalize(c, NFKD) AS d FROM unnest($1::text[]) WITH ORDINALITY AS x(c, i) ORDER BY i`, [signs]);
    const known = signs.filter((c, i) => decomposed[i].d === c.normalize('NFKD'));
    expect(known.length).toBeGreaterThan(signs.length * 0.99);
    const names = known.map((c) => `Ab${c}cD`);
    const stored = await inDatabase(names);
    expect(names.filter((name, i) => stored[i] !== normaliseName(name))).toEqual([]);
  });

  it('finds a stored "Zoë Brontë" by name, given name or family name typed without accents', async () => {
    await hub.sql(`INSERT INTO child (given_name, family_name, date_of_birth, gender) VALUES ('Zoë', 'Brontë', '2014-02-02', 'FEMALE')`);
    const token = hub.token('NCSC', ['MASH_RESEARCHER']);
    const query = `query($input: ChildSearchInput!) { searchChildren(input: $input) { edges { node { givenName familyName } } } }`;
    for (const input of [{ name: 'zoe bronte' }, { givenName: 'Zoe', familyName: 'Bronte' }, { givenName: 'ZOE' }]) {
      const res = await hub.gql<{ searchChildren: { edges: Array<{ node: { givenName: string; familyName: string } }> } }>(query, { input }, token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.searchChildren.edges.map((e) => e.node)).toContainEqual({ givenName: 'Zoë', familyName: 'Brontë' });
    }
  });

  it('is what child.search_name holds', async () => {
    const [row] = await hub.sql<{ search_name: string }>(
      `INSERT INTO child (given_name, family_name, date_of_birth, gender) VALUES ('Zoë', 'Brontë-Hughes', '2014-01-01', 'FEMALE') RETURNING search_name`,
    );
    expect(row.search_name).toBe('zoe bronte-hughes');
  });

  it('goes back to the earlier rules when the migration is reverted, stored names recomputed both ways', async () => {
    const [{ id }] = await hub.sql<{ id: string }>(
      `INSERT INTO child (given_name, family_name, date_of_birth, gender) VALUES ('ΝΙΚΟΣ', 'कृष्ण', '2013-03-03', 'MALE') RETURNING id`,
    );
    const migration = new MatchNameEveryScript1732252400000();
    const runner = hub.dataSource.createQueryRunner();
    const storedName = async (): Promise<string> => (await runner.query(`SELECT search_name AS s FROM child WHERE id = $1`, [id]))[0].s;
    try {
      await runner.startTransaction();
      await migration.down(runner);
      // Inside the transaction, which holds the child table until it commits.
      expect(await storedName()).toBe('νικοσ कृष ण');
      await migration.up(runner);
      await runner.commitTransaction();
      expect(await storedName()).toBe(`${normaliseName('ΝΙΚΟΣ')} ${normaliseName('कृष्ण')}`);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(normaliseName('ΝΙΚΟΣ कृष्ण')).toBe('νικοσ कृष्ण');
  });
});
