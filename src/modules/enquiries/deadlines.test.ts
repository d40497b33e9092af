import { WorkingCalendar } from '../../domain/working-days';
import { warnIfCalendarShort } from './deadlines';

describe('warnIfCalendarShort', () => {
  const calendar = new WorkingCalendar(['2027-01-01', '2028-12-25']);
  const logger = () => ({ warn: jest.fn() });

  it('warns a year ahead when the calendar ends this year, and once only', () => {
    const log = logger();
    warnIfCalendarShort(calendar, log, new Date('2028-02-01T09:00:00Z'));
    warnIfCalendarShort(calendar, log, new Date('2028-06-01T09:00:00Z'));
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0][1]).toContain('does not list 2029 (it ends in 2028)');
  });

  it('stays quiet while the calendar lists this year and the next', () => {
    const log = logger();
    warnIfCalendarShort(calendar, log, new Date('2027-03-01T09:00:00Z'));
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('warns for a deadline set in a year the calendar does not list', () => {
    const log = logger();
    warnIfCalendarShort(calendar, log, new Date('2026-12-31T09:00:00Z'), new Date('2027-01-04T09:00:00Z'));
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0][1]).toContain('does not list 2026 ');
  });
});
