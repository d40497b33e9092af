import { Foundation1732250000000 } from '../../migrations/1732250000000-Foundation';
import { AccessGrounds1732250100000 } from '../../migrations/1732250100000-AccessGrounds';

/** Migrations in order. Listed explicitly so the built server needs no file globbing. */
export const MIGRATIONS = [Foundation1732250000000, AccessGrounds1732250100000];
