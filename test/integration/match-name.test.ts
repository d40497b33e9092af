/**
 * child.search_name is made by the database (migration MatchName) and compared with the key the
 * hub makes of a submitted or searched name (normaliseName): the two must agree, or a name stored
 * as given never matches itself as submitted.
 */
import fc from 'fast-check';
import { normaliseName } from '../../src/domain/identifiers';
import { createCounty } from '../factories';
import { startHub, type Hub } from '../support/harness';

// Latin letters with and without accents, the folded letters in both cases, apostrophes, hyphens,
// punctuation, spaces of several kinds, digits and a ligature: what names in agency systems hold.
const NAME_CHARACTERS = [
  ...'abcxyzABCXYZ', ...'éÉèöÖüÜñçåÅãõøØłŁđĐðþÞßẞæÆœŒıİħĦ', ...'ễịặ', "'", '’', 'ʼ', '`', '´', '-', '‐', '–', '—', '−',
  '.', ',', '(', ')', '/', '&', ' ', '  ', '\t', '\u00a0', '0', '7', 'ﬁ',
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

  it('differ, as documented, on a Greek final sigma and on combining signs outside the Latin accents', async () => {
    // normaliseName gives the word-final form (ς), the database the plain one (σ); a capitalised
    // Greek name then matches itself with a trigram or two fewer, not at all the less.
    expect(await inDatabase(['ΟΔΥΣΣΕΥΣ'])).toEqual(['οδυσσευσ']);
    expect(normaliseName('ΟΔΥΣΣΕΥΣ')).toBe('οδυσσευς');
    // A sign such as the Devanagari virama is a mark to JavaScript, kept, and neither a letter nor
    // a digit to the database's bracket class, so a space there.
    expect(await inDatabase(['कृष्ण'])).toEqual(['कृष ण']);
    expect(normaliseName('कृष्ण')).toBe('कृष्ण');
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
});
