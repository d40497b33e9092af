import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';

/** ISO 8601 instants. */
export const DateTime = DateTimeResolver;
/** Calendar dates (YYYY-MM-DD) such as a date of birth: no time zone can move them. */
export const LocalDate = LocalDateResolver;
