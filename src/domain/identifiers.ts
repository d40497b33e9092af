/**
 * Validation and normalisation of the identifiers the hub uses to match a child across agencies:
 * NHS number, unique pupil number (UPN), postcode and name.
 *
 * Everything here is pure. The check-digit functions only say that an identifier is *well formed*;
 * they do not prove that it was ever issued, or issued to this child.
 */

// ---------------------------------------------------------------------------------------------
// NHS number
// ---------------------------------------------------------------------------------------------

/** Removes the separators people type into NHS numbers ("943 476 5919", "943-476-5919"). */
export function normaliseNhsNumber(s: string): string {
  return s.replace(/[\s-]/g, '');
}

/**
 * The modulus 11 check digit for the first nine digits of an NHS number, or `null` when no digit
 * is possible (a remainder giving 10 means the nine digits can never start a valid number).
 * Weights run 10..2 over the nine digits; check = 11 - (sum mod 11), and 11 becomes 0.
 */
export function nhsCheckDigit(nineDigits: string): number | null {
  if (!/^\d{9}$/.test(nineDigits)) {
    throw new RangeError('nhsCheckDigit expects exactly nine digits');
  }
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    sum += Number(nineDigits[i]) * (10 - i);
  }
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/**
 * True when `s` (after removing spaces and hyphens) is ten digits whose last digit is the
 * correct modulus 11 check digit. Note that every ten-identical-digit string ("0000000000",
 * "1111111111", ...) passes the check; callers matching records should not treat such
 * placeholder values as identifying anyone.
 */
export function isValidNhsNumber(s: string): boolean {
  const digits = normaliseNhsNumber(s);
  if (!/^\d{10}$/.test(digits)) return false;
  const expected = nhsCheckDigit(digits.slice(0, 9));
  return expected !== null && expected === Number(digits[9]);
}

// ---------------------------------------------------------------------------------------------
// Unique pupil number (UPN)
// ---------------------------------------------------------------------------------------------
//
// The check letter algorithm follows the DfE guidance "Unique Pupil Numbers (UPNs)" (the UPN
// check letter calculation; also the UK Government Data Standards Catalogue entry for UPN):
//   - a UPN is 13 characters: a check letter, then 12 characters — LA number (3 digits),
//     establishment number (4 digits), the last two digits of the year of allocation (2 digits)
//     and a serial (3 characters). In a *temporary* UPN the last serial character is a letter.
//   - multiply the characters in positions 2..13 by weights 2..13 and sum them; a letter in
//     position 13 counts as its value in the letter table below (A=0, B=1, ...).
//   - the remainder of the sum mod 23 indexes the letter table, giving the check letter.
// The letter table omits I, O and S, which are used neither as check letters nor as the last
// character of a temporary UPN.
//
// Local authority numbers are not checked against a list: they change with local government
// reorganisation, and a stale list would reject genuine pupils.

/** DfE letter table: index = value (A=0 ... Z=22). */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** The 12 characters after the check letter: 11 digits, then a digit or a table letter. */
const UPN_BODY = /^\d{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$/;

/** Removes spaces and upper-cases, so "b801 2000 05001" is checked as "B801200005001". */
export function normaliseUpn(s: string): string {
  return s.replace(/\s/g, '').toUpperCase();
}

/** The value a position-13 character contributes: its digit, or its index in the letter table. */
function upnCharValue(c: string): number {
  return /\d/.test(c) ? Number(c) : UPN_LETTERS.indexOf(c);
}

/**
 * The check letter for the 12 characters that follow it in a UPN (positions 2..13).
 * Throws RangeError unless `twelve` is 11 digits followed by a digit or a letter from the DfE
 * table (upper case).
 */
export function upnCheckLetter(twelve: string): string {
  if (!UPN_BODY.test(twelve)) {
    throw new RangeError('upnCheckLetter expects 11 digits then a digit or a letter (not I, O or S)');
  }
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const weight = i + 2; // the character at index i is in UPN position i + 2
    sum += upnCharValue(twelve.charAt(i)) * weight;
  }
  return UPN_LETTERS.charAt(sum % 23);
}

/** Builds a full UPN by prefixing the correct check letter (used by tests and demo data). */
export function makeUpn(twelve: string): string {
  return upnCheckLetter(twelve) + twelve;
}

/** True when `s` (spaces removed, upper-cased) is a well-formed UPN with the right check letter. */
export function isValidUpn(s: string): boolean {
  const upn = normaliseUpn(s);
  if (upn.length !== 13) return false;
  const body = upn.slice(1);
  if (!UPN_BODY.test(body)) return false;
  return upn.charAt(0) === upnCheckLetter(body);
}

// ---------------------------------------------------------------------------------------------
// Postcode
// ---------------------------------------------------------------------------------------------

/**
 * Upper-cases, removes all whitespace and puts a single space before the inward code (the last
 * three characters): "sw1a1aa" → "SW1A 1AA". Strings too short or long to be a postcode are
 * returned compacted and upper-cased, without a space.
 */
export function normalisePostcode(s: string): string {
  const compact = s.replace(/\s/g, '').toUpperCase();
  if (compact.length < 5 || compact.length > 7) return compact;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/**
 * UK postcode shapes (A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA) with the letter
 * restrictions of the Royal Mail format: Q, V, X never first; I, J, Z never second; the inward
 * code never uses C, I, K, M, O or V. GIR 0AA is the one historic exception. Overseas
 * territory and BFPO codes are deliberately not accepted.
 */
const POSTCODE = new RegExp(
  '^(?:GIR 0AA|' +
    '(?:' +
    '[A-PR-UWYZ][0-9][0-9]?' + // A9, A99
    '|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?' + // AA9, AA99
    '|[A-PR-UWYZ][0-9][A-HJKPSTUW]' + // A9A
    '|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]' + // AA9A
    ') [0-9][ABD-HJLNP-UW-Z]{2})$',
);

/** True when `s`, once normalised (so any case and spacing), has the shape of a UK postcode. */
export function isValidPostcode(s: string): boolean {
  return POSTCODE.test(normalisePostcode(s));
}

/**
 * What is wrong with a child's date of birth (YYYY-MM-DD) as of `now`, or null: it cannot be in
 * the future, nor before 1900. Submitted records and new children on an enquiry share the rule.
 */
export function dateOfBirthProblem(dateOfBirth: string, now: Date): { readonly code: 'IN_FUTURE' | 'TOO_EARLY'; readonly message: string } | null {
  if (dateOfBirth > now.toISOString().slice(0, 10)) return { code: 'IN_FUTURE', message: 'a date of birth cannot be in the future' };
  if (dateOfBirth < '1900-01-01') return { code: 'TOO_EARLY', message: 'must be on or after 1900-01-01' };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/**
 * Letters that carry no combining mark in Unicode, so decomposition alone leaves them
 * unmatched with the plain spelling people often use instead (Łukasz / Lukasz).
 */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  // Lower-casing gives a capital sigma its word-final form (ς) at the end of a word and the plain
  // one (σ) elsewhere; the database's lower() gives the plain one under the builtin and libc
  // providers, and either under ICU. Both sides fold ς, so the two agree whichever it gives.
  ς: 'σ',
};

/**
 * Only the Combining Diacritical Marks block (accents on Latin, Greek and Cyrillic letters) is
 * stripped. Marks in other scripts — Devanagari vowel signs, for example — are part of the
 * spelling, and removing them would make different names collide.
 */
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;

function stripDiacritics(s: string): string {
  return s.normalize('NFKD').replace(COMBINING_DIACRITICS, '');
}

/** Typographic apostrophes and hyphens are unified so "O’Brien" matches "O'Brien". */
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
const HYPHENS = /[\u2010-\u2015\u2212]/g;

/**
 * A matching key for a personal name: lower case, accents removed, letters without a combining
 * form folded (ß → ss, ł → l, ...), punctuation other than hyphen and apostrophe replaced by a
 * space, spaces around hyphens removed, whitespace collapsed and trimmed.
 *
 * NFKD rather than NFD is used so compatibility forms (full-width letters, ligatures such as
 * "ﬁ" pasted from documents) also reduce to their plain letters. The key is for comparison
 * only; the name as recorded is never replaced by it.
 */
export function normaliseName(s: string): string {
  // Accents are stripped both before and after lower-casing: compatibility letters such as "ℌ"
  // decompose to capitals, and lower-casing "İ" yields "i" plus a combining dot.
  const lower = stripDiacritics(stripDiacritics(s).toLowerCase());
  const folded = Array.from(lower, (c) => LETTER_FOLDS[c] ?? c).join('');
  return folded
    .replace(APOSTROPHES, "'")
    .replace(HYPHENS, '-')
    .replace(/[^\p{Alphabetic}\p{M}\p{N}\s'-]/gu, ' ')
    .replace(/\s*-\s*/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .normalize('NFC');
}

// ---------------------------------------------------------------------------------------------
// Hub ids
// ---------------------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a string is shaped like one of the hub's own ids (children, records, enquiries …).
 * Checked before a query, since PostgreSQL rejects a malformed uuid with an error rather than
 * finding nothing.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
