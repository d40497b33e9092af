import { Writable } from 'node:stream';
import pino from 'pino';
import { safeError } from '../../src/logger';

describe('error logging', () => {
  it('keeps the kind and code of a database error but not its parameters or failing row', () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      name: 'QueryFailedError',
      code: '23505',
      constraint: 'x',
      parameters: ['Child disclosed abuse by stepfather'],
      detail: 'Failing row contains (Child disclosed abuse by stepfather)',
      driverError: { detail: 'Failing row contains (Child disclosed abuse by stepfather)' },
    });
    const lines: string[] = [];
    const logger = pino({ serializers: { err: safeError } }, new Writable({ write: (chunk, _e, done) => { lines.push(String(chunk)); done(); } }));
    logger.error({ err: error }, 'unexpected error');
    expect(lines.join('')).toContain('23505');
    expect(lines.join('')).not.toContain('stepfather');
  });
});
