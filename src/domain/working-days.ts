/**
 * Working-day arithmetic for statutory timescales.
 *
 * Working Together to Safeguard Children 2023 sets its timescales in working days (a decision on
 * a referral "within one working day", an assessment within 45 working days, ...). A working day
 * is a Monday to Friday that is not an England & Wales bank holiday.
 *
 * Every calculation is on Europe/London local dates: a referral received at 23:30 UTC on a summer
 * evening arrived on the *next* day in London. Conversions use Intl (no timezone library), with
 * the UK's GMT/BST offset looked up for the instant concerned.
 */
import { readFileSync } from 'fs';
import shippedCalendar from './bank-holidays-england-wales.json';

export interface BankHoliday {
  /** ISO local date, 'YYYY-MM-DD'. */
  readonly date: string;
  readonly title: string;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Local dates as day numbers
// ---------------------------------------------------------------------------------------------
//
// A London calendar date is held as a day number: days since 1970-01-01, computed with Date.UTC
// purely as a calendar (no timezone meaning). That makes "next day" and "day of week" plain
// integer arithmetic, unaffected by clock changes.

/** Day of week for a day number, 0 = Sunday ... 6 = Saturday (day 0, 1970-01-01, was a Thursday). */
function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekend(day: number): boolean {
  const dow = dayOfWeek(day);
  return dow === 0 || dow === 6;
}

function dayNumberOf(year: number, month: number, dayOfMonth: number): number {
  return Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY;
}

/** Parses 'YYYY-MM-DD' to a day number, rejecting impossible dates such as 2026-02-30. */
function parseIsoDate(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (match === null) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const day = dayNumberOf(year, month, dayOfMonth);
  if (formatDayNumber(day) !== iso) throw new RangeError(`no such date: ${iso}`);
  return day;
}

function formatDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/**
 * Weekdays (Mon–Fri) in the day range [0, day), counted from a Monday so that each whole week
 * contributes exactly five. Works for negative day numbers too.
 */
function weekdaysBefore(day: number): number {
  const MONDAY = -3; // 1969-12-29
  const offset = day - MONDAY;
  const weeks = Math.floor(offset / 7);
  return weeks * 5 + Math.min(offset - weeks * 7, 5);
}

// ---------------------------------------------------------------------------------------------
// Europe/London wall clock
// ---------------------------------------------------------------------------------------------

/** One formatter, reused: constructing Intl formatters is comparatively expensive. */
const LONDON_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23', // midnight as 00, never 24
});

interface WallClock {
  /** London calendar date as a day number. */
  readonly day: number;
  /** Milliseconds since London midnight on that date, as shown on a London clock. */
  readonly msOfDay: number;
}

function assertValidInstant(instant: Date): void {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid Date');
}

function londonWallClock(instant: Date): WallClock {
  assertValidInstant(instant);
  const fields: Record<string, number> = {};
  for (const part of LONDON_CLOCK.formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const field = (name: string): number => {
    const value = fields[name];
    if (value === undefined) throw new Error(`Intl did not return the ${name} field`);
    return value;
  };
  return {
    day: dayNumberOf(field('year'), field('month'), field('day')),
    msOfDay:
      ((field('hour') * 60 + field('minute')) * 60 + field('second')) * 1000 + instant.getUTCMilliseconds(),
  };
}

/** London's offset from UTC at an instant, in ms: 0 under GMT, +1 hour under BST. */
function londonOffsetMs(epochMs: number): number {
  const wall = londonWallClock(new Date(epochMs));
  const wallAsUtc = wall.day * MS_PER_DAY + wall.msOfDay;
  // Offsets are whole minutes; rounding guards against any sub-second drift.
  return Math.round((wallAsUtc - epochMs) / MS_PER_MINUTE) * MS_PER_MINUTE;
}

/**
 * The instant a London clock shows `msOfDay` on London date `day`. The offset is looked up twice:
 * first for a guess that treats the wall time as UTC, then for the corrected instant, which
 * settles on the right side of a clock change. (Working days are never the Sundays on which UK
 * clocks change, so for deadlines the wall time always exists and is unambiguous.)
 */
function londonInstant(day: number, msOfDay: number): Date {
  const wallAsUtc = day * MS_PER_DAY + msOfDay;
  const guess = wallAsUtc - londonOffsetMs(wallAsUtc);
  return new Date(wallAsUtc - londonOffsetMs(guess));
}

/** The London calendar date of an instant, as 'YYYY-MM-DD'. */
export function londonDate(instant: Date): string {
  return formatDayNumber(londonWallClock(instant).day);
}

// ---------------------------------------------------------------------------------------------
// Calendar files
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The holiday list inside a parsed calendar file. Accepts this module's shape (an array of
 * `{ date, title }`) and, so a deployment can use the file published at
 * https://www.gov.uk/bank-holidays.json unchanged, that file's `{ "england-and-wales": { events } }`.
 */
function holidayEntries(json: unknown): unknown[] {
  if (Array.isArray(json)) return json;
  if (isRecord(json)) {
    const division = json['england-and-wales'];
    if (isRecord(division) && Array.isArray(division['events'])) return division['events'];
  }
  throw new TypeError('expected an array of { date, title } or a gov.uk bank-holidays.json object');
}

/** Validates a parsed calendar file, returning its holidays. Throws on any malformed entry. */
export function parseBankHolidays(json: unknown): BankHoliday[] {
  return holidayEntries(json).map((entry, index) => {
    if (!isRecord(entry) || typeof entry['date'] !== 'string' || typeof entry['title'] !== 'string') {
      throw new TypeError(`holiday ${index}: expected { date: string, title: string }`);
    }
    parseIsoDate(entry['date']);
    return { date: entry['date'], title: entry['title'] };
  });
}

// ---------------------------------------------------------------------------------------------
// WorkingCalendar
// ---------------------------------------------------------------------------------------------

let defaultCalendar: WorkingCalendar | undefined;

export class WorkingCalendar {
  /** Holidays as day numbers. */
  private readonly holidays: ReadonlySet<number>;
  /** Holidays falling Monday–Friday, sorted: the only ones that reduce a weekday count. */
  private readonly weekdayHolidays: readonly number[];
  private readonly years: ReadonlySet<number>;

  /** @param holidayDates ISO local dates 'YYYY-MM-DD' of the bank holidays. */
  constructor(holidayDates: readonly string[]) {
    const days = holidayDates.map(parseIsoDate);
    this.holidays = new Set(days);
    this.weekdayHolidays = [...this.holidays].filter((d) => !isWeekend(d)).sort((x, y) => x - y);
    this.years = new Set(days.map(yearOf));
  }

  /** The England & Wales calendar shipped with the hub (see bank-holidays-england-wales.json). */
  static default(): WorkingCalendar {
    defaultCalendar ??= new WorkingCalendar(parseBankHolidays(shippedCalendar).map((h) => h.date));
    return defaultCalendar;
  }

  /** A calendar read from a JSON file in the shipped shape (or gov.uk's bank-holidays.json). */
  static fromFile(path: string): WorkingCalendar {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read bank holiday calendar ${path}: ${messageOf(err)}`);
    }
    try {
      return new WorkingCalendar(parseBankHolidays(json).map((h) => h.date));
    } catch (err) {
      throw new Error(`invalid bank holiday calendar ${path}: ${messageOf(err)}`);
    }
  }

  /**
   * Whether the London date of `day` is a working day. `day` is an instant, or a local date
   * string 'YYYY-MM-DD'.
   */
  isWorkingDay(day: Date | string): boolean {
    return this.isWorkingDayNumber(typeof day === 'string' ? parseIsoDate(day) : londonWallClock(day).day);
  }

  /**
   * The deadline `n` working days after `from`.
   *
   * Convention (Working Together 2023, e.g. a decision "within one working day" of receipt):
   * - the day of receipt is day 0, and the deadline falls on the nth working day after it, at
   *   the same London time of day as receipt. A referral received at 15:00 on a Friday is due
   *   by 15:00 on the Monday; one received on Christmas Eve 2026 at 15:00 is due by 15:00 on
   *   Tuesday 29 December 2026.
   * - something received on a non-working day (weekend or bank holiday) is treated as received
   *   on the next working day, and counting starts from there: received on a Saturday at
   *   10:00, it is due one working day after Monday, i.e. by 10:00 on the Tuesday.
   * - n = 0 gives the time of receipt itself (moved to the next working day if need be).
   *
   * Dates outside the calendar's years count weekends only; use coversYear to detect that.
   */
  addWorkingDays(from: Date, n: number): Date {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`working days must be a non-negative integer, got ${n}`);
    }
    const received = londonWallClock(from);
    let day = this.firstWorkingDayFrom(received.day);
    for (let counted = 0; counted < n; ) {
      day += 1;
      if (this.isWorkingDayNumber(day)) counted += 1;
    }
    return londonInstant(day, received.msOfDay);
  }

  /**
   * Working days elapsed from `a` to `b`, by London date and the same convention as
   * addWorkingDays: the number of working days after the (deemed) day of receipt of `a`, up to
   * and including `b`'s date. So for any `from` and n,
   * `workingDaysBetween(from, addWorkingDays(from, n)) === n`, and an event at `b` is within an
   * n-working-day timescale by date exactly when the result is at most n.
   * Negative when `b` is earlier than `a` (the count from `b` to `a`, negated).
   */
  workingDaysBetween(a: Date, b: Date): number {
    if (b.getTime() < a.getTime()) {
      const count = this.workingDaysBetween(b, a);
      return count === 0 ? 0 : -count;
    }
    const start = this.firstWorkingDayFrom(londonWallClock(a).day);
    const end = londonWallClock(b).day;
    if (end <= start) return 0;
    // Working days in (start, end] = weekdays in that range less the weekday holidays in it.
    const weekdays = weekdaysBefore(end + 1) - weekdaysBefore(start + 1);
    const holidays = countBelow(this.weekdayHolidays, end + 1) - countBelow(this.weekdayHolidays, start + 1);
    return weekdays - holidays;
  }

  /** Whether the calendar lists any holiday in `year`, i.e. whether it was configured for it. */
  coversYear(year: number): boolean {
    return this.years.has(year);
  }

  /**
   * Why deadlines from `from` to `until` may be wrong, or null: the calendar must list the bank
   * holidays of every London year they touch. Outside those years only weekends are skipped.
   */
  shortfall(from: Date, until: Date): string | null {
    const missing: number[] = [];
    for (let year = yearOf(londonWallClock(from).day); year <= yearOf(londonWallClock(until).day); year += 1) {
      if (!this.years.has(year)) missing.push(year);
    }
    if (missing.length === 0) return null;
    const last = this.years.size > 0 ? Math.max(...this.years) : null;
    return `the bank holiday calendar does not list ${missing.join(', ')}${last === null ? '' : ` (it ends in ${last})`}: working-day deadlines then skip weekends only; set BANK_HOLIDAYS_FILE to a calendar that lists them`;
  }

  private isWorkingDayNumber(day: number): boolean {
    return !isWeekend(day) && !this.holidays.has(day);
  }

  /** `day` itself if it is a working day, else the next working day. */
  private firstWorkingDayFrom(day: number): number {
    let d = day;
    while (!this.isWorkingDayNumber(d)) d += 1;
    return d;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** How many values in the ascending array are less than `limit` (binary search). */
function countBelow(sorted: readonly number[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
