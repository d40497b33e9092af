import {
  BREAK,
  execute,
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type VariableDefinitionNode,
  visit,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';

/**
 * How a validated operation is executed (GRAPHQL_EXECUTOR).
 *
 * - `compiled` (the default): an operation that has run GRAPHQL_COMPILE_AFTER_RUNS times is
 *   compiled into a function (graphql-jit) that serves every later request for it. It calls the
 *   same resolvers with the same arguments; what it saves is graphql-js's work per field (argument
 *   maps, path bookkeeping) and its results built as prototype-less objects, which
 *   `JSON.stringify` walks slowly. For the portal's query shape, executing and serialising took
 *   about 0.13 ms on graphql-js and 0.02 ms compiled (docs/benchmark.md).
 * - `reference`: Apollo's own execution with graphql-js, as it runs given no executor.
 *
 * Whatever the executor, a request whose variables graphql-js would refuse is answered by
 * graphql-js, so that refusal (its message, and Apollo's BAD_USER_INPUT for it) is the
 * reference's word for word; and an operation the compiler cannot take runs on graphql-js.
 * So does any operation with a field aliased `__proto__`, or a variable of that name: the compiled
 * code writes results and variables as object literals, where that key would set the object's
 * prototype instead of adding the field (test/integration/executor.test.ts compares the two
 * executors' answers; test/property/variable-coercion.test.ts their reading of variables).
 */
export type ExecutorKind = 'compiled' | 'reference';

export const EXECUTOR_KINDS: readonly ExecutorKind[] = ['compiled', 'reference'];

type Executor = (request: GatewayGraphQLRequestContext) => Promise<ExecutionResult>;

/** No compiled form: the operation is run by graphql-js instead. */
const NOT_COMPILED = Symbol('not compiled');

/** Executes with graphql-js, as Apollo does when it is given no executor. */
function referenceExecutor(schema: GraphQLSchema): Executor {
  return async (request) =>
    execute({
      schema,
      document: request.document as DocumentNode,
      contextValue: request.context,
      variableValues: request.request.variables,
      operationName: request.request.operationName,
    });
}

/**
 * Runs of an operation before it is compiled (GRAPHQL_COMPILE_AFTER_RUNS). Compiling the portal's
 * query takes about a millisecond, ten times what the compiled form then saves on each run, so a
 * document a client sends only now and then (an id written into the query text rather than passed
 * as a variable, say) is left to graphql-js.
 */
export const DEFAULT_RUNS_BEFORE_COMPILING = 10;

/** An operation compiled, with the variables it declares (checked by graphql-js on every run). */
interface Compiled {
  readonly query: CompiledQuery;
  readonly variables: readonly VariableDefinitionNode[];
}

/** An operation's runs so far, and once compiled, its compiled form (or that it has none). */
interface OperationState {
  runs: number;
  compiled?: Compiled | typeof NOT_COMPILED;
}

/**
 * Compiles each operation once it has been run `runsBeforeCompiling` times. What is kept hangs
 * off the parsed document, which Apollo keeps in its bounded document store; when the store lets
 * a document go, what hangs off it goes too, so this is bounded by the store.
 */
function compiledExecutor(schema: GraphQLSchema, runsBeforeCompiling: number): Executor {
  const reference = referenceExecutor(schema);
  const byDocument = new WeakMap<DocumentNode, Map<string, OperationState>>();

  const compiledFor = (document: DocumentNode, operationName: string | undefined): Compiled | typeof NOT_COMPILED => {
    let byOperation = byDocument.get(document);
    if (!byOperation) {
      byOperation = new Map();
      byDocument.set(document, byOperation);
    }
    const key = operationName ?? '';
    let state = byOperation.get(key);
    if (!state) {
      state = { runs: 0 };
      byOperation.set(key, state);
    }
    if (state.compiled) return state.compiled;
    state.runs += 1;
    if (state.runs <= runsBeforeCompiling) return NOT_COMPILED;
    try {
      const result = namesPrototype(document) ? null : compileQuery(schema, document, operationName);
      const operation = getOperationAST(document, operationName);
      state.compiled = result && isCompiledQuery(result) && operation ? { query: result, variables: operation.variableDefinitions ?? [] } : NOT_COMPILED;
    } catch {
      state.compiled = NOT_COMPILED;
    }
    return state.compiled;
  };

  return async (request) => {
    const document = request.document as DocumentNode;
    const operationName = request.request.operationName ?? undefined;
    const compiled = compiledFor(document, operationName);
    if (compiled === NOT_COMPILED || !variablesAccepted(schema, compiled.variables, request.request.variables)) {
      return reference(request);
    }
    const result = await compiled.query.query(undefined, request.context, request.request.variables ?? {});
    // The compiled form refused what graphql-js accepted (no resolver has run): let graphql-js answer.
    if (result.errors?.length && result.data === undefined) return reference(request);
    return result;
  };
}

/**
 * Whether any field in the document (its fragments too) is answered under the key `__proto__`, or
 * any variable is named so: the compiled code keeps both as keys of object literals.
 */
function namesPrototype(document: DocumentNode): boolean {
  let found = false;
  const check = (name: string): typeof BREAK | undefined => {
    if (name !== '__proto__') return undefined;
    found = true;
    return BREAK;
  };
  visit(document, {
    Field: (node) => check((node.alias ?? node.name).value),
    VariableDefinition: (node) => check(node.variable.name.value),
  });
  return found;
}

/** Whether graphql-js would accept these variables for an operation declaring `definitions`. */
function variablesAccepted(schema: GraphQLSchema, definitions: readonly VariableDefinitionNode[], variables: Record<string, unknown> | undefined): boolean {
  if (definitions.length === 0) return true;
  return !('errors' in getVariableValues(schema, definitions, variables ?? {}, { maxErrors: 1 }));
}

/**
 * The compiled executor in the shape Apollo Server accepts one (its `gateway` option): the schema
 * is fixed, so it is announced once and never updated.
 */
export function compiledExecutorGateway(schema: GraphQLSchema, runsBeforeCompiling: number): GatewayInterface {
  const executor = compiledExecutor(schema, runsBeforeCompiling);
  return {
    async load() {
      return { schema, executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
  };
}
