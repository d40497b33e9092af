import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { WorkingCalendar } from '../../domain/working-days';
import type { RagRating } from './front-door-vocabulary';

const MS_PER_HOUR = 3_600_000;

let fromFile: { path: string; calendar: WorkingCalendar } | undefined;

/** The deployment's bank holiday calendar: BANK_HOLIDAYS_FILE when set, else the shipped one. */
export function workingCalendar(config: Pick<Config, 'bankHolidaysFile'>): WorkingCalendar {
  const path = config.bankHolidaysFile;
  if (!path) return WorkingCalendar.default();
  if (fromFile?.path !== path) fromFile = { path, calendar: WorkingCalendar.fromFile(path) };
  return fromFile.calendar;
}

const YEAR_MS = 366 * 24 * MS_PER_HOUR;
const warned = new Set<string>();

/**
 * Warns, once per process for each shortfall, when the bank holiday calendar does not reach from
 * `from` to `until` (by default a year on): at start-up and as enquiries open, so that there is a
 * year's notice to replace it, and whenever a deadline is set in a year it does not list.
 */
export function warnIfCalendarShort(calendar: WorkingCalendar, logger: Pick<Logger, 'warn'>, from: Date, until = new Date(from.getTime() + YEAR_MS)): void {
  const shortfall = calendar.shortfall(from, until);
  if (shortfall === null || warned.has(shortfall)) return;
  warned.add(shortfall);
  logger.warn({ bankHolidays: 'calendar too short' }, shortfall);
}

/** Partner research is due a configured number of hours after the rating is set (local MASH timescales). */
export function researchDueAt(ratedAt: Date, rating: RagRating, ragHours: Config['ragHours']): Date {
  return new Date(ratedAt.getTime() + ragHours[rating] * MS_PER_HOUR);
}

/** Working Together 2023: a decision on a referral within one working day of receipt. */
export function decisionDueAt(receivedAt: Date, calendar: WorkingCalendar): Date {
  return calendar.addWorkingDays(receivedAt, 1);
}
