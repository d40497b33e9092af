import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import shipped from './bank-holidays-england-wales.json';
import { londonDate, parseBankHolidays, WorkingCalendar } from './working-days';

const cal = WorkingCalendar.default();
const at = (iso: string): Date => new Date(iso);

// ---- independent helpers (plain UTC calendar arithmetic on 'YYYY-MM-DD' strings) -----------

const isoOf = (y: number, m: number, d: number): string => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const weekday = (iso: string): number => new Date(`${iso}T00:00:00Z`).getUTCDay();
const nextIso = (iso: string): string => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoOf(year, month, day);
}

const shiftDays = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** First (or last) Monday of a month. */
function monday(year: number, month: number, which: 'first' | 'last'): string {
  if (which === 'first') {
    const first = isoOf(year, month, 1);
    return shiftDays(first, (8 - weekday(first)) % 7);
  }
  const last = isoOf(year, month + 1, 0);
  return shiftDays(last, -((weekday(last) + 6) % 7));
}

/** The England & Wales rules (Banking and Financial Dealings Act 1971 pattern plus substitutes). */
function ruleBasedHolidays(year: number): string[] {
  const newYear = isoOf(year, 1, 1);
  const newYearObserved = weekday(newYear) === 6 ? shiftDays(newYear, 2) : weekday(newYear) === 0 ? shiftDays(newYear, 1) : newYear;
  const easter = easterSunday(year);
  const christmasDow = weekday(isoOf(year, 12, 25));
  const christmas: [number, number] =
    christmasDow === 6 ? [27, 28] : christmasDow === 0 ? [26, 27] : christmasDow === 5 ? [25, 28] : [25, 26];
  return [
    newYearObserved,
    shiftDays(easter, -2),
    shiftDays(easter, 1),
    monday(year, 5, 'first'),
    monday(year, 5, 'last'),
    monday(year, 8, 'last'),
    isoOf(year, 12, christmas[0]),
    isoOf(year, 12, christmas[1]),
  ];
}

/** Counts working days in (londonDate(a), londonDate(b)] one date at a time. */
function naiveBetween(calendar: WorkingCalendar, a: Date, b: Date): number {
  let day = londonDate(a);
  while (!calendar.isWorkingDay(day)) day = nextIso(day);
  const end = londonDate(b);
  let count = 0;
  while (day < end) {
    day = nextIso(day);
    if (calendar.isWorkingDay(day)) count += 1;
  }
  return count;
}

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const londonTimeOfDay = (d: Date): string => `${LONDON_TIME.format(d)}.${d.getUTCMilliseconds()}`;

// ---- the shipped calendar ------------------------------------------------------------------

describe('shipped England & Wales calendar', () => {
  const dates = parseBankHolidays(shipped).map((h) => h.date);

  it('uses the expected Easter Sundays', () => {
    expect([2024, 2025, 2026, 2027, 2028].map(easterSunday)).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
    ]);
  });

  it('matches the holiday rules for every year 2024–2028', () => {
    for (const year of [2024, 2025, 2026, 2027, 2028]) {
      expect(dates.filter((d) => d.startsWith(`${year}-`))).toEqual(ruleBasedHolidays(year));
    }
  });

  it('contains the substitute days explicitly', () => {
    expect(dates).toEqual(expect.arrayContaining(['2026-12-28', '2027-12-27', '2027-12-28', '2028-01-03']));
    expect(dates).not.toContain('2026-12-26');
  });

  it('lists only weekdays, each once, with a title', () => {
    expect(new Set(dates).size).toBe(dates.length);
    for (const d of dates) expect([1, 2, 3, 4, 5]).toContain(weekday(d));
    for (const h of parseBankHolidays(shipped)) expect(h.title.length).toBeGreaterThan(0);
  });

  it('covers 2024 to 2028 only', () => {
    expect([2023, 2024, 2025, 2026, 2027, 2028, 2029].map((y) => cal.coversYear(y))).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });
});

// ---- isWorkingDay / londonDate ---------------------------------------------------------------

describe('isWorkingDay', () => {
  it('excludes weekends and bank holidays', () => {
    expect(cal.isWorkingDay('2026-04-02')).toBe(true); // Thursday
    expect(cal.isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(cal.isWorkingDay('2026-04-04')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    expect(cal.isWorkingDay('2026-12-28')).toBe(false); // Boxing Day substitute
  });

  it('uses the London date of an instant', () => {
    // 23:30 UTC on Friday 3 July 2026 is 00:30 BST on Saturday 4 July.
    expect(londonDate(at('2026-07-03T23:30:00Z'))).toBe('2026-07-04');
    expect(cal.isWorkingDay(at('2026-07-03T23:30:00Z'))).toBe(false);
    // In winter London is on GMT: 23:30 UTC is still the same day.
    expect(londonDate(at('2026-01-09T23:30:00Z'))).toBe('2026-01-09');
    expect(cal.isWorkingDay(at('2026-01-09T23:30:00Z'))).toBe(true);
  });

  it('rejects malformed dates', () => {
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2026-4-1')).toThrow(RangeError);
    expect(() => cal.isWorkingDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});

// ---- addWorkingDays ----------------------------------------------------------------------------

describe('addWorkingDays', () => {
  it('Friday receipt is due on Monday at the same time', () => {
    // Friday 6 June 2025, 14:00 BST.
    expect(cal.addWorkingDays(at('2025-06-06T13:00:00Z'), 1)).toEqual(at('2025-06-09T13:00:00Z'));
  });

  it('Thursday before Good Friday 2026 is due on Tuesday 7 April 2026', () => {
    expect(cal.addWorkingDays(at('2026-04-02T09:00:00Z'), 1)).toEqual(at('2026-04-07T09:00:00Z'));
  });

  it('Christmas Eve 2026 (Thursday) is due on Tuesday 29 December 2026', () => {
    expect(cal.addWorkingDays(at('2026-12-24T15:00:00Z'), 1)).toEqual(at('2026-12-29T15:00:00Z'));
  });

  it('receipt on a Saturday counts from the Monday', () => {
    // Saturday 6 June 2026, 10:00 BST → treated as received Monday 8 June → due Tuesday 9 June.
    expect(cal.addWorkingDays(at('2026-06-06T09:00:00Z'), 1)).toEqual(at('2026-06-09T09:00:00Z'));
    // Sunday likewise.
    expect(cal.addWorkingDays(at('2026-06-07T09:00:00Z'), 1)).toEqual(at('2026-06-09T09:00:00Z'));
  });

  it('receipt on a bank holiday counts from the next working day', () => {
    // Good Friday 2026 → treated as received Tuesday 7 April → due Wednesday 8 April.
    expect(cal.addWorkingDays(at('2026-04-03T11:00:00Z'), 1)).toEqual(at('2026-04-08T11:00:00Z'));
  });

  it('a UTC time that is already the next day in London counts from the London date', () => {
    // 23:30 UTC Thursday 2 July 2026 = 00:30 BST Friday 3 July → due 00:30 BST Monday 6 July.
    expect(cal.addWorkingDays(at('2026-07-02T23:30:00Z'), 1)).toEqual(at('2026-07-05T23:30:00Z'));
    // 23:30 UTC Friday 3 July = 00:30 BST Saturday → treated as Monday → due 00:30 BST Tuesday.
    expect(cal.addWorkingDays(at('2026-07-03T23:30:00Z'), 1)).toEqual(at('2026-07-06T23:30:00Z'));
  });

  it('keeps the London time of day across the start of BST', () => {
    // Friday 27 March 2026 10:00 GMT; clocks go forward Sunday 29 March; due Monday 10:00 BST.
    expect(cal.addWorkingDays(at('2026-03-27T10:00:00Z'), 1)).toEqual(at('2026-03-30T09:00:00Z'));
  });

  it('keeps the London time of day across the end of BST', () => {
    // Friday 23 October 2026 10:00 BST; clocks go back Sunday 25 October; due Monday 10:00 GMT.
    expect(cal.addWorkingDays(at('2026-10-23T09:00:00Z'), 1)).toEqual(at('2026-10-26T10:00:00Z'));
    // 23:30 UTC Saturday 24 October is 00:30 BST Sunday → treated as Monday → due 00:30 GMT Tuesday.
    expect(cal.addWorkingDays(at('2026-10-24T23:30:00Z'), 1)).toEqual(at('2026-10-27T00:30:00Z'));
  });

  it('counts longer timescales across holidays', () => {
    // Wednesday 1 April 2026 + 10 working days, skipping Good Friday and Easter Monday → Friday 17 April.
    expect(cal.addWorkingDays(at('2026-04-01T12:00:00Z'), 10)).toEqual(at('2026-04-17T12:00:00Z'));
  });

  it('n = 0 is the receipt itself, moved to a working day if necessary', () => {
    expect(cal.addWorkingDays(at('2026-04-02T09:00:00Z'), 0)).toEqual(at('2026-04-02T09:00:00Z'));
    expect(cal.addWorkingDays(at('2026-04-04T09:00:00Z'), 0)).toEqual(at('2026-04-07T09:00:00Z'));
  });

  it('keeps milliseconds', () => {
    expect(cal.addWorkingDays(at('2026-04-02T09:00:00.123Z'), 1)).toEqual(at('2026-04-07T09:00:00.123Z'));
  });

  it('rejects negative, fractional and non-finite counts and invalid dates', () => {
    const from = at('2026-04-02T09:00:00Z');
    expect(() => cal.addWorkingDays(from, -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(from, 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(from, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it('beyond the calendar, counts weekends only', () => {
    // Monday 1 January 2029 is not listed, so it counts as a working day.
    expect(cal.coversYear(2029)).toBe(false);
    expect(cal.addWorkingDays(at('2028-12-29T12:00:00Z'), 1)).toEqual(at('2029-01-01T12:00:00Z'));
  });

  it('says which London years it does not list, and where it ends', () => {
    expect(cal.shortfall(at('2026-03-01T12:00:00Z'), at('2027-03-01T12:00:00Z'))).toBeNull();
    expect(cal.shortfall(at('2028-03-01T12:00:00Z'), at('2029-03-01T12:00:00Z'))).toMatch(/does not list 2029 \(it ends in 2028\).*BANK_HOLIDAYS_FILE/);
    expect(cal.shortfall(at('2029-12-31T12:00:00Z'), at('2030-01-02T12:00:00Z'))).toMatch(/does not list 2029, 2030 /);
    // London keeps GMT in December: 23:30 UTC on 31 December 2028 is still 2028 there.
    expect(cal.shortfall(at('2028-12-31T23:30:00Z'), at('2028-12-31T23:30:00Z'))).toBeNull();
    expect(new WorkingCalendar([]).shortfall(at('2026-03-01T12:00:00Z'), at('2026-03-02T12:00:00Z'))).toBe(
      'the bank holiday calendar does not list 2026: working-day deadlines then skip weekends only; set BANK_HOLIDAYS_FILE to a calendar that lists them');
  });
});

// ---- workingDaysBetween -------------------------------------------------------------------

describe('workingDaysBetween', () => {
  it('counts working days after the first date up to and including the second', () => {
    expect(cal.workingDaysBetween(at('2026-01-05T09:00:00Z'), at('2026-01-12T09:00:00Z'))).toBe(5);
    expect(cal.workingDaysBetween(at('2026-04-02T09:00:00Z'), at('2026-04-07T17:00:00Z'))).toBe(1);
    expect(cal.workingDaysBetween(at('2026-04-02T09:00:00Z'), at('2026-04-02T17:00:00Z'))).toBe(0);
  });

  it('counts a whole year', () => {
    // 2025: 261 weekdays less 8 bank holidays, all on weekdays = 253 working days.
    expect(cal.workingDaysBetween(at('2024-12-31T12:00:00Z'), at('2025-12-31T12:00:00Z'))).toBe(253);
  });

  it('treats a non-working first date as received on the next working day', () => {
    // Saturday → Tuesday: received Monday, so one working day has elapsed.
    expect(cal.workingDaysBetween(at('2026-06-06T09:00:00Z'), at('2026-06-09T09:00:00Z'))).toBe(1);
    expect(cal.workingDaysBetween(at('2026-06-06T09:00:00Z'), at('2026-06-07T09:00:00Z'))).toBe(0);
  });

  it('uses London dates', () => {
    // Thursday 23:30 UTC is Friday in London, so nothing has elapsed by Friday evening.
    expect(cal.workingDaysBetween(at('2026-07-02T23:30:00Z'), at('2026-07-03T18:00:00Z'))).toBe(0);
  });

  it('is negative when the second instant is earlier', () => {
    expect(cal.workingDaysBetween(at('2026-01-12T09:00:00Z'), at('2026-01-05T09:00:00Z'))).toBe(-5);
    expect(cal.workingDaysBetween(at('2026-06-07T09:00:00Z'), at('2026-06-06T09:00:00Z'))).toBe(0);
  });
});

// ---- fromFile -----------------------------------------------------------------------------

describe('WorkingCalendar.fromFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'working-days-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('loads a custom calendar in the shipped shape', () => {
    const path = write(
      'custom.json',
      JSON.stringify([
        { date: '2026-06-08', title: 'Local closure day' },
        { date: '2030-01-01', title: "New Year's Day" },
      ]),
    );
    const custom = WorkingCalendar.fromFile(path);
    expect(custom.isWorkingDay('2026-06-08')).toBe(false);
    expect(custom.isWorkingDay('2026-04-03')).toBe(true); // not listed in this calendar
    // Friday 5 June 2026 → Monday 8 June is a holiday here → due Tuesday 9 June.
    expect(custom.addWorkingDays(at('2026-06-05T09:00:00Z'), 1)).toEqual(at('2026-06-09T09:00:00Z'));
    expect(custom.coversYear(2030)).toBe(true);
    expect(custom.coversYear(2028)).toBe(false);
  });

  it("loads gov.uk's bank-holidays.json shape", () => {
    const path = write(
      'govuk.json',
      JSON.stringify({
        'england-and-wales': {
          division: 'england-and-wales',
          events: [{ title: 'Good Friday', date: '2026-04-03', notes: '', bunting: false }],
        },
        scotland: { division: 'scotland', events: [{ title: '2nd January', date: '2026-01-02', notes: '', bunting: true }] },
      }),
    );
    const govuk = WorkingCalendar.fromFile(path);
    expect(govuk.isWorkingDay('2026-04-03')).toBe(false);
    expect(govuk.isWorkingDay('2026-01-02')).toBe(true);
  });

  it('reports unreadable and malformed files with the path', () => {
    expect(() => WorkingCalendar.fromFile(join(dir, 'missing.json'))).toThrow(/missing\.json/);
    expect(() => WorkingCalendar.fromFile(write('bad.json', '{ not json'))).toThrow(/cannot read/);
    expect(() => WorkingCalendar.fromFile(write('shape.json', '{"a":1}'))).toThrow(/invalid bank holiday calendar/);
    expect(() => WorkingCalendar.fromFile(write('date.json', '[{"date":"2026-13-01","title":"x"}]'))).toThrow(
      /2026-13-01/,
    );
    expect(() => WorkingCalendar.fromFile(write('title.json', '[{"date":"2026-01-01"}]'))).toThrow(/holiday 0/);
  });
});

// ---- properties -----------------------------------------------------------------------------

describe('properties', () => {
  // Within the calendar's coverage, leaving room for n working days afterwards.
  const instant = fc.date({ min: at('2024-01-01T00:00:00Z'), max: at('2028-09-30T23:59:59Z'), noInvalidDate: true });
  const workingInstant = instant.filter((d) => cal.isWorkingDay(d));
  const count = fc.integer({ min: 0, max: 60 });

  it('addWorkingDays always lands on a working day at the same London time of day', () => {
    fc.assert(
      fc.property(instant, count, (from, n) => {
        const due = cal.addWorkingDays(from, n);
        return cal.isWorkingDay(due) && londonTimeOfDay(due) === londonTimeOfDay(from);
      }),
      { numRuns: 500 },
    );
  });

  it('workingDaysBetween(d, addWorkingDays(d, n)) === n for working-day starts', () => {
    fc.assert(
      fc.property(workingInstant, count, (from, n) => cal.workingDaysBetween(from, cal.addWorkingDays(from, n)) === n),
      { numRuns: 500 },
    );
  });

  it('the same identity holds for non-working starts under the receipt convention', () => {
    fc.assert(
      fc.property(instant, count, (from, n) => cal.workingDaysBetween(from, cal.addWorkingDays(from, n)) === n),
      { numRuns: 500 },
    );
  });

  it('each extra working day moves the deadline later', () => {
    fc.assert(
      fc.property(instant, count, (from, n) => cal.addWorkingDays(from, n + 1) > cal.addWorkingDays(from, n)),
      { numRuns: 300 },
    );
  });

  it('workingDaysBetween agrees with day-by-day counting, and is antisymmetric', () => {
    const wide = fc.date({ min: at('2023-06-01T00:00:00Z'), max: at('2029-06-30T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(wide, wide, (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const forward = cal.workingDaysBetween(early, late);
        return forward === naiveBetween(cal, early, late) && cal.workingDaysBetween(late, early) === (forward === 0 ? 0 : -forward);
      }),
      { numRuns: 300 },
    );
  });
});
