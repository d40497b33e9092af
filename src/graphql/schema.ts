import 'reflect-metadata';
import { buildSchema, type AuthChecker } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import type { Role } from '../domain/vocabulary';
import type { RequestContext } from '../server/context';
import { forbidden } from '../server/errors';
import { RESOLVERS } from './resolvers';

/**
 * Coarse role gate only (`@Authorized('ADMIN')`): whether a caller may use an operation at all.
 * What record data they see is decided by the access policy, never here.
 */
const roleGate: AuthChecker<RequestContext, Role> = ({ context }, roles) => {
  if (roles.length === 0 || roles.some((role) => context.viewer.roles.includes(role))) return true;
  throw forbidden(`this operation needs one of the roles ${roles.join(', ')}`);
};

let built: Promise<GraphQLSchema> | undefined;

/** The schema is built once per process; type-graphql's metadata is global. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: RESOLVERS, authChecker: roleGate, validate: false, emitSchemaFile: false });
  return built;
}
