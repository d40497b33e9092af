import type { Config } from '../../config';
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

/** Partner research is due a configured number of hours after the rating is set (local MASH timescales). */
export function researchDueAt(ratedAt: Date, rating: RagRating, ragHours: Config['ragHours']): Date {
  return new Date(ratedAt.getTime() + ragHours[rating] * MS_PER_HOUR);
}

/** Working Together 2023: a decision on a referral within one working day of receipt. */
export function decisionDueAt(receivedAt: Date, calendar: WorkingCalendar): Date {
  return calendar.addWorkingDays(receivedAt, 1);
}
