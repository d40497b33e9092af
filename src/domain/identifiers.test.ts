import fc from 'fast-check';
import {
  isUuid,
  isValidNhsNumber,
  isValidPostcode,
  isValidUpn,
  makeUpn,
  nhsCheckDigit,
  normaliseName,
  normaliseNhsNumber,
  normalisePostcode,
  normaliseUpn,
  upnCheckLetter,
} from './identifiers';

const digitString = (length: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((ds) => ds.join(''));

describe('NHS number', () => {
  it('accepts known-valid test numbers', () => {
    // 9434765919: weighted sum 299, 299 mod 11 = 2, check 9.
    expect(isValidNhsNumber('9434765919')).toBe(true);
    // 9434765870: weighted sum 308, 308 mod 11 = 0, check 11 → 0.
    expect(isValidNhsNumber('9434765870')).toBe(true);
    expect(nhsCheckDigit('943476587')).toBe(0);
  });

  it('accepts spaces and hyphens, which normaliseNhsNumber strips', () => {
    expect(normaliseNhsNumber(' 943 476 5919 ')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('943-476-5919')).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('9434765871')).toBe(false);
  });

  it('rejects every number whose nine digits give a check of 10', () => {
    // 943476503: weighted sum 276, 276 mod 11 = 1, check 11 - 1 = 10: no valid final digit.
    expect(nhsCheckDigit('943476503')).toBeNull();
    for (let d = 0; d <= 9; d++) {
      expect(isValidNhsNumber(`943476503${d}`)).toBe(false);
    }
  });

  it('rejects the wrong length and non-digits', () => {
    expect(isValidNhsNumber('')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('943476591A')).toBe(false);
    expect(isValidNhsNumber('94347.65919')).toBe(false);
    expect(isValidNhsNumber('+449434765919')).toBe(false);
    expect(isValidNhsNumber('９４３４７６５９１９')).toBe(false); // full-width digits
  });

  it('passes ten identical digits (placeholders are not caught by the check digit)', () => {
    for (let d = 0; d <= 9; d++) {
      expect(isValidNhsNumber(String(d).repeat(10))).toBe(true);
    }
  });

  it('nhsCheckDigit refuses input that is not nine digits', () => {
    expect(() => nhsCheckDigit('12345678')).toThrow(RangeError);
    expect(() => nhsCheckDigit('12345678X')).toThrow(RangeError);
  });

  it('property: nine digits plus their computed check digit are valid', () => {
    fc.assert(
      fc.property(
        digitString(9).filter((nine) => nhsCheckDigit(nine) !== null),
        (nine) => isValidNhsNumber(nine + String(nhsCheckDigit(nine))),
      ),
    );
  });

  it('property: changing any one digit of a valid number invalidates it', () => {
    fc.assert(
      fc.property(
        digitString(9).filter((nine) => nhsCheckDigit(nine) !== null),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (nine, position, delta) => {
          const valid = nine + String(nhsCheckDigit(nine));
          const changed = String((Number(valid[position]) + delta) % 10);
          const mutated = valid.slice(0, position) + changed + valid.slice(position + 1);
          return !isValidNhsNumber(mutated);
        },
      ),
    );
  });
});

describe('UPN', () => {
  const TABLE = 'ABCDEFGHJKLMNPQRTUVWXYZ';
  const upnBody = fc
    .tuple(digitString(11), fc.constantFrom(...'0123456789'.split(''), ...TABLE.split('')))
    .map(([digits, last]) => digits + last);

  it('computes the DfE check letter for a worked example', () => {
    // 8·2 + 0·3 + 1·4 + 2·5 + 0·6 + 0·7 + 0·8 + 0·9 + 5·10 + 0·11 + 0·12 + 1·13 = 93; 93 mod 23 = 1 → B
    expect(upnCheckLetter('801200005001')).toBe('B');
    expect(isValidUpn('B801200005001')).toBe(true);
    expect(isValidUpn('A801200005001')).toBe(false);
  });

  it('values a temporary UPN letter by the letter table', () => {
    // Position 13 letter T has table value 16: 80 + 16·13 = 288; 288 mod 23 = 12 → N
    expect(upnCheckLetter('80120000500T')).toBe('N');
    expect(isValidUpn('N80120000500T')).toBe(true);
  });

  it('remainders map to the table without I, O or S', () => {
    // Only position 13 contributes: value v·13; 13 is invertible mod 23, so every remainder occurs.
    const letters = new Set<string>();
    for (const c of TABLE) letters.add(upnCheckLetter(`00000000000${c}`));
    expect([...letters].sort().join('')).toBe(TABLE);
  });

  it('makeUpn round trips through isValidUpn', () => {
    fc.assert(fc.property(upnBody, (body) => {
      const upn = makeUpn(body);
      return upn.length === 13 && upn.slice(1) === body && isValidUpn(upn);
    }));
  });

  it('normalises case and spaces', () => {
    expect(normaliseUpn(' b801 2000 05001 ')).toBe('B801200005001');
    expect(isValidUpn('b801 2000 05001')).toBe(true);
  });

  it('property: changing one character to a different value invalidates the UPN', () => {
    const allowedAt = (position: number): string[] =>
      position === 0 ? TABLE.split('') : position === 12 ? [...'0123456789', ...TABLE] : [...'0123456789'];
    const value = (c: string): number => (/\d/.test(c) ? Number(c) : TABLE.indexOf(c));
    fc.assert(
      fc.property(upnBody, fc.integer({ min: 0, max: 12 }), fc.nat(), (body, position, pick) => {
        const upn = makeUpn(body);
        const choices = allowedAt(position).filter((c) => c !== upn[position]);
        const replacement = choices[pick % choices.length];
        // A digit and the letter with the same table value (e.g. 5 and F) are indistinguishable
        // in position 13 by design of the algorithm; that case is covered separately below.
        fc.pre(!(position === 12 && value(replacement) === value(upn.charAt(12))));
        const mutated = upn.slice(0, position) + replacement + upn.slice(position + 1);
        return !isValidUpn(mutated);
      }),
    );
  });

  it('gives a digit and the letter of the same value the same check letter', () => {
    expect(upnCheckLetter('801200005005')).toBe(upnCheckLetter('80120000500F'));
  });

  it('rejects the wrong length', () => {
    expect(isValidUpn('')).toBe(false);
    expect(isValidUpn('B80120000500')).toBe(false);
    expect(isValidUpn('B8012000050011')).toBe(false);
  });

  it('rejects bad characters', () => {
    expect(isValidUpn('1801200005001')).toBe(false); // digit where the check letter goes
    expect(isValidUpn('I801200005001')).toBe(false); // I is not in the letter table
    expect(isValidUpn('B80120000A001')).toBe(false); // letter in the middle
    expect(isValidUpn('B80120000500I')).toBe(false); // I, O, S never end a temporary UPN
    expect(isValidUpn('B80120000500O')).toBe(false);
    expect(isValidUpn('B80120000500S')).toBe(false);
    expect(isValidUpn('B8012000050-1')).toBe(false);
    expect(() => upnCheckLetter('80120000500S')).toThrow(RangeError);
    expect(() => upnCheckLetter('8012000050')).toThrow(RangeError);
  });
});

describe('postcode', () => {
  it('normalises case and spacing', () => {
    expect(normalisePostcode('sw1a1aa')).toBe('SW1A 1AA');
    expect(normalisePostcode('  ec1a   1bb ')).toBe('EC1A 1BB');
    expect(normalisePostcode('m11ae')).toBe('M1 1AE');
    expect(normalisePostcode('B33 8TH')).toBe('B33 8TH');
    expect(normalisePostcode('dn55\t1pt')).toBe('DN55 1PT');
  });

  it('accepts each UK shape', () => {
    for (const pc of ['M1 1AE', 'B33 8TH', 'W1A 0AX', 'CR2 6XH', 'DN55 1PT', 'EC1A 1BB', 'GIR 0AA']) {
      expect(isValidPostcode(pc)).toBe(true);
    }
    expect(isValidPostcode('sw1a1aa')).toBe(true);
  });

  it('rejects malformed codes', () => {
    for (const pc of ['', '12345', 'SW1A', 'SW1A 1AAA', 'Q1 1AA', 'SW1A 1CA', 'AB1 AAA', 'S W1A 1AA-']) {
      expect(isValidPostcode(pc)).toBe(false);
    }
  });
});

describe('normaliseName', () => {
  it('lower-cases, strips accents and collapses whitespace', () => {
    expect(normaliseName('  José   García ')).toBe('jose garcia');
    expect(normaliseName('ZOË')).toBe('zoe');
    expect(normaliseName('Chloé\u00a0Dubois')).toBe('chloe dubois');
  });

  it('keeps hyphens and apostrophes, unifying typographic forms', () => {
    expect(normaliseName('O’Brien-Smith')).toBe("o'brien-smith");
    expect(normaliseName("O'Brien – Smith")).toBe("o'brien-smith");
    expect(normaliseName('Smith - Jones')).toBe('smith-jones');
  });

  it('replaces other punctuation with a space', () => {
    expect(normaliseName('St. John, Mary')).toBe('st john mary');
    expect(normaliseName('Smith (Jones)')).toBe('smith jones');
  });

  it('folds letters that have no combining accent', () => {
    expect(normaliseName('Łukasz Wałęsa')).toBe('lukasz walesa');
    expect(normaliseName('Strauß')).toBe('strauss');
    expect(normaliseName('Søren Kierkegaard')).toBe('soren kierkegaard');
  });

  it('folds the Greek word-final sigma to the plain one, wherever lower-casing put it', () => {
    expect(normaliseName('ΝΙΚΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ')).toBe('νικοσ παπαδοπουλοσ');
    expect(normaliseName('Νίκος')).toBe('νικοσ');
  });

  it('keeps non-Latin scripts intact', () => {
    expect(normaliseName('Мария')).toBe('мария');
    expect(normaliseName('प्रिया')).toBe('प्रिया');
    expect(normaliseName('김민준')).toBe('김민준');
    expect(normaliseName('Ⅻ ٣')).toBe('xii ٣');
  });

  it('property: idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => normaliseName(normaliseName(s)) === normaliseName(s)),
      { numRuns: 2000 },
    );
  });
});

describe('isUuid', () => {
  it.each([
    ['a hub id', '6f1c2e1a-8a4b-4c7d-9e2f-0a1b2c3d4e5f', true],
    ['upper case', '6F1C2E1A-8A4B-4C7D-9E2F-0A1B2C3D4E5F', true],
    ['no hyphens', '6f1c2e1a8a4b4c7d9e2f0a1b2c3d4e5f', false],
    ['one digit short', '6f1c2e1a-8a4b-4c7d-9e2f-0a1b2c3d4e5', false],
    ['not hex', '6f1c2e1a-8a4b-4c7d-9e2f-0a1b2c3d4e5g', false],
    ['surrounded by text', 'x6f1c2e1a-8a4b-4c7d-9e2f-0a1b2c3d4e5f', false],
    ['empty', '', false],
  ])('%s -> %s', (_name, value, expected) => {
    expect(isUuid(value)).toBe(expected);
  });
});
