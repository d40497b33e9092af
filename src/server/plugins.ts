import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { RequestContext } from './context';

const EXPECTED_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'RATE_LIMITED', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * Commits the request's audit entries before the response leaves. If the audit cannot be
 * written, the data is withheld: nothing is released that was not recorded.
 */
export function auditPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code === 'string' && EXPECTED_CODES.has(code)) continue;
            // Fail closed: an unexpected error while serving data counts as a denial, and is recorded.
            contextValue.pendingAudit?.push({ action: 'ACCESS_ERROR', outcome: 'DENIED', query: { path: error.path ?? null } });
            contextValue.logger?.error({ err: error.originalError ?? error, requestId: contextValue.requestId, path: error.path }, 'unexpected error');
          }
        },
        async willSendResponse({ contextValue, response }) {
          const entries = contextValue.pendingAudit?.splice(0) ?? [];
          if (entries.length === 0 || !contextValue.viewer) return;
          try {
            await contextValue.services.auditWriter.append(contextValue, entries);
          } catch (error) {
            contextValue.logger.error({ err: error, requestId: contextValue.requestId }, 'audit write failed; response withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [new GraphQLError('the request could not be recorded, so nothing was released', { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: contextValue.requestId } }).toJSON()],
              };
            }
          }
        },
      };
    },
  };
}
