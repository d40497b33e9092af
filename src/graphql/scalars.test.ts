import { DateTimeResolver } from 'graphql-scalars';
import { DateTime } from './scalars';

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
