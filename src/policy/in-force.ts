/**
 * Every fact the policy weighs is in force over a half-open window: from its start (inclusive)
 * until its end (exclusive). A withdrawal or an early end at exactly `now` has already taken effect,
 * because withdrawal applies to every request that starts after it commits (DESIGN.md section 2).
 */

/**
 * True when `start <= now` and `now` is before every end that is set (`null` means open-ended).
 * An invalid date compares false either way, so a malformed fact never grants anything.
 */
export function inForce(now: Date, start: Date, ...ends: readonly (Date | null)[]): boolean {
  const t = now.getTime();
  return start.getTime() <= t && ends.every((end) => end === null || t < end.getTime());
}

export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
