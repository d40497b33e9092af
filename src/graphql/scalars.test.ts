import fc from 'fast-check';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { DateTime, isCalendarDate, LocalDate } from './scalars';

describe('DateTime', () => {
  it('answers the same text the response would have made of the Date', () => {
    for (const value of [new Date('2024-11-14T02:29:39.000Z'), new Date(0), '2024-02-29T23:59:59.999+01:00', 1_731_551_379_123]) {
      const fromScalar = DateTimeResolver.serialize(value);
      expect(DateTime.serialize(value)).toBe(JSON.parse(JSON.stringify(fromScalar)));
      expect(typeof DateTime.serialize(value)).toBe('string');
    }
  });

  it('refuses what the scalar refuses, and reads input as it does', () => {
    expect(() => DateTime.serialize(new Date(Number.NaN))).toThrow(/invalid Date/);
    expect(() => DateTime.serialize('yesterday')).toThrow(/invalid date-time-string/);
    expect(DateTime.parseValue('2024-11-14T02:29:39Z')).toEqual(new Date('2024-11-14T02:29:39Z'));
    expect(DateTime.name).toBe(DateTimeResolver.name);
  });
});

describe('LocalDate', () => {
  const reference = (value: unknown): boolean => {
    try {
      LocalDateResolver.parseValue(value);
      return true;
    } catch {
      return false;
    }
  };
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');

  it('accepts exactly the calendar dates graphql-scalars accepts, in every year it can write', () => {
    const disagreements: string[] = [];
    const check = (year: number, month: number, day: number): void => {
      const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
      if (isCalendarDate(text) !== reference(text)) disagreements.push(text);
    };
    // Every year's leap day and the months either side of the calendar's.
    for (let year = 0; year <= 9999; year += 1) for (const [month, day] of [[2, 29], [2, 30], [0, 1], [13, 1]]) check(year, month, day);
    // Every month and day field, in range or not, in the years people are born in and in years of
    // each leap rule.
    const years = [...Array.from({ length: 221 }, (_, i) => 1890 + i), 0, 4, 100, 400, 1600, 1700, 2400, 9996, 9999];
    for (const year of years) for (let month = 0; month <= 13; month += 1) for (let day = 0; day <= 32; day += 1) check(year, month, day);
    expect(disagreements).toEqual([]);
  });

  it('agrees with graphql-scalars on arbitrary values and near-misses, and refuses in its words', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.string(),
          fc.stringMatching(/^[0-9٠-٩０-９]{4}-[0-9]{2}-[0-9]{2}\n?$/),
          fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        ),
        (value) => {
          expect(isCalendarDate(value)).toBe(reference(value));
          const ours = (): unknown => LocalDate.parseValue(value);
          if (reference(value)) expect(ours()).toBe(LocalDateResolver.parseValue(value));
          else expect(ours).toThrow(((): string => {
            try {
              LocalDateResolver.parseValue(value);
            } catch (error) {
              return (error as Error).message;
            }
            return '';
          })());
        },
      ),
      { numRuns: 5000 },
    );
    expect(LocalDate.serialize('2024-02-29')).toBe('2024-02-29');
    expect(() => LocalDate.serialize('2023-02-29')).toThrow('Value is not a valid LocalDate: 2023-02-29');
    expect(LocalDate.name).toBe(LocalDateResolver.name);
  });
});
