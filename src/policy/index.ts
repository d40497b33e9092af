/** The access policy's public surface: pure decisions over preloaded facts. */
export * from './types';
export { decideChild, decideRecord, decideRecordsOfChild } from './decide';
export { childGrounds } from './grounds';
