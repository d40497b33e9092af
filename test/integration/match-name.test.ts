/**
 * child.search_name is made by the database (migration MatchName) and compared with the key the
 * hub makes of a submitted or searched name (normaliseName): the two must agree, or a name stored
 * as given never matches itself as submitted.
 */
import fc from 'fast-check';
import { normaliseName } from '../../src/domain/identifiers';
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

  it('differ only where JavaScript and the database lower-case differently: a Greek final sigma', async () => {
    // normaliseName gives the word-final form (ς), the database the plain one (σ); a capitalised
    // Greek name then matches itself with a trigram or two fewer, not at all the less.
    expect(await inDatabase(['ΟΔΥΣΣΕΥΣ'])).toEqual(['οδυσσευσ']);
    expect(normaliseName('ΟΔΥΣΣΕΥΣ')).toBe('οδυσσευς');
  });

  it('is what child.search_name holds', async () => {
    const [row] = await hub.sql<{ search_name: string }>(
      `INSERT INTO child (given_name, family_name, date_of_birth, gender) VALUES ('Zoë', 'Brontë-Hughes', '2014-01-01', 'FEMALE') RETURNING search_name`,
    );
    expect(row.search_name).toBe('zoe bronte-hughes');
  });
});
