import {
  BREAK,
  execute,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isInputObjectType,
  isListType,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLInputType,
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
 * reference's word for word: graphql-jit's reading of variables refuses what graphql-js refuses,
 * and reads what both accept alike, except that it takes an array where an input object is asked
 * for, so variables holding one are answered by graphql-js (`VariableShapes`). An operation the
 * compiler cannot take runs on graphql-js.
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

/** An operation compiled, with what its variables must be checked for before it runs. */
interface Compiled {
  readonly query: CompiledQuery;
  readonly variables: readonly VariableDefinitionNode[];
  /** The input objects its variables may hold, or null when graphql-js must read them first. */
  readonly shapes: VariableShapes | null;
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
      const variables = operation?.variableDefinitions ?? [];
      state.compiled = result && isCompiledQuery(result) && operation ? { query: result, variables, shapes: variableShapes(schema, variables) } : NOT_COMPILED;
    } catch {
      state.compiled = NOT_COMPILED;
    }
    return state.compiled;
  };

  return async (request) => {
    const document = request.document as DocumentNode;
    const operationName = request.request.operationName ?? undefined;
    const compiled = compiledFor(document, operationName);
    if (compiled === NOT_COMPILED || !compiledReadsAlike(schema, compiled, request.request.variables)) {
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

/**
 * Where input objects can sit in an operation's variables, for finding an array in one's place.
 * graphql-jit reads variables as graphql-js does (the same scalars' `parseValue`, enum values,
 * list wrapping, required and unknown fields), refusing whatever graphql-js refuses, except that it
 * takes any array as an input object. Checking for that alone costs a walk of the variables; having
 * graphql-js read them all first cost a sixth of the hub's CPU while it filed 1,000-record batches.
 * test/property/variable-coercion.test.ts compares the two executors' reading of variables for
 * every input type of the schema.
 */
type Shape = { readonly kind: 'leaf' } | { readonly kind: 'list'; readonly of: Shape } | { kind: 'object'; fields: Array<readonly [string, Shape]> };
type VariableShapes = ReadonlyArray<readonly [string, Shape]>;

const LEAF: Shape = { kind: 'leaf' };
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * The shapes of the variables an operation declares, or null where the walk would not be enough:
 * graphql-js reads an input object's fields through the prototype chain (a field named like a
 * member of Object.prototype) and checks one-of input objects itself, so an operation whose
 * variables can hold either is read by graphql-js first, as every operation once was.
 */
function variableShapes(schema: GraphQLSchema, definitions: readonly VariableDefinitionNode[]): VariableShapes | null {
  const objects = new Map<string, Shape>();
  let walkEnough = true;
  const shapeOf = (type: GraphQLInputType): Shape => {
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const of = shapeOf(nullable.ofType);
      return of === LEAF ? LEAF : { kind: 'list', of };
    }
    if (!isInputObjectType(nullable)) return LEAF;
    const known = objects.get(nullable.name);
    if (known) return known;
    const shape: Shape = { kind: 'object', fields: [] };
    objects.set(nullable.name, shape);
    if (nullable.isOneOf) walkEnough = false;
    for (const field of Object.values(nullable.getFields())) {
      if (INHERITED.has(field.name)) walkEnough = false;
      shape.fields.push([field.name, shapeOf(field.type)]);
    }
    return shape;
  };
  const shapes: Array<readonly [string, Shape]> = [];
  for (const definition of definitions) {
    const type = typeFromAST(schema, definition.type);
    if (!type) return null;
    const shape = shapeOf(type as GraphQLInputType);
    if (shape !== LEAF) shapes.push([definition.variable.name.value, shape]);
  }
  return walkEnough ? shapes : null;
}

/** Whether nothing in the value stands where an input object is asked for as an array. */
function holdsNoArrayForObject(value: unknown, shape: Shape): boolean {
  if (value === null || value === undefined || shape.kind === 'leaf') return true;
  if (shape.kind === 'list') {
    if (!Array.isArray(value)) return holdsNoArrayForObject(value, shape.of);
    for (const item of value) if (!holdsNoArrayForObject(item, shape.of)) return false;
    return true;
  }
  if (Array.isArray(value)) return false;
  // Anything else that is not an object graphql-jit refuses itself.
  if (typeof value !== 'object') return true;
  const fields = value as Record<string, unknown>;
  for (const [name, field] of shape.fields) {
    if (Object.prototype.hasOwnProperty.call(fields, name) && !holdsNoArrayForObject(fields[name], field)) return false;
  }
  return true;
}

/** Whether the compiled operation may read these variables itself, as graphql-js would. */
function compiledReadsAlike(schema: GraphQLSchema, compiled: Compiled, variables: Record<string, unknown> | undefined): boolean {
  if (compiled.shapes === null) {
    return compiled.variables.length === 0 || !('errors' in getVariableValues(schema, compiled.variables, variables ?? {}, { maxErrors: 1 }));
  }
  if (!variables) return true;
  for (const [name, shape] of compiled.shapes) {
    if (Object.prototype.hasOwnProperty.call(variables, name) && !holdsNoArrayForObject(variables[name], shape)) return false;
  }
  return true;
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
