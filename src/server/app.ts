import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type Request } from 'express';
import { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { unwrapResolverError } from '@apollo/server/errors';
import { getSchema } from '../graphql/schema';
import { compiledExecutorGateway } from '../graphql/executor';
import { TokenVerifier } from '../auth/tokens';
import { authenticate } from '../auth/authenticate';
import { AgencyDirectory } from '../auth/agency-directory';
import { AccessLayer } from '../access/access-layer';
import type { AppServices, RequestContext } from './context';
import { auditPlugin } from './plugins';
import { RateLimiter } from './rate-limit';
import { rateLimited } from './errors';

export const QUERY_LIMITS = { maxDepth: 12, maxAliases: 20, maxCost: 20000, maxTokens: 3000, maxDirectives: 20 };

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

function requestIdOf(req: Request): string {
  const given = req.header('x-request-id');
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

function maskErrors(services: AppServices) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const known = typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
    if (known) return formatted;
    const original = unwrapResolverError(error);
    services.logger.error({ err: original }, 'masked error');
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(services.config.production ? {} : { detail: formatted.message }) },
    };
  };
}

export interface HubServer {
  readonly app: express.Express;
  listen(port: number): Promise<Server>;
  stop(): Promise<void>;
}

/** HTTP and GraphQL wiring: express, Apollo, limits, context, errors. Nothing about records. */
export async function createHubServer(given: AppServices): Promise<HubServer> {
  const services: AppServices = { ...given, agencies: given.agencies ?? new AgencyDirectory() };
  const { config, dataSource, logger } = services;
  const agencies = services.agencies as AgencyDirectory;
  const verifier = new TokenVerifier(config.jwt);
  const limiter = new RateLimiter(config.rateLimitPerMinute);
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    maxTokens: { n: QUERY_LIMITS.maxTokens },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    blockFieldSuggestion: { enabled: config.production },
  });
  const protection = armor.protect();
  const schema = await getSchema();
  const apollo = new ApolloServer<RequestContext>({
    // Apollo takes an executor of its own only through its gateway option (src/graphql/executor.ts).
    ...(config.executor === 'compiled' ? { gateway: compiledExecutorGateway(schema, config.compileAfterRuns) } : { schema }),
    csrfPrevention: true,
    introspection: !config.production,
    includeStacktraceInErrorResponses: !config.production,
    formatError: maskErrors(services),
    // The process's own SIGINT/SIGTERM handling stops the server (see stop() below) in order;
    // Apollo's handlers would race it, and the two stops could leave a process unable to exit.
    stopOnTerminationSignals: false,
    validationRules: [...protection.validationRules],
    plugins: [
      ...protection.plugins,
      auditPlugin(),
      // Nothing here may be cached by anyone; the plugin would also wrap every field resolution.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Nothing the hub answers may be cached, so an entity tag serves no one: it would only
  // fingerprint the answer, at the cost of hashing every one.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      const pending = await dataSource.showMigrations();
      if (pending) {
        res.status(503).json({ status: 'migrations pending' });
        return;
      }
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  const graphql = expressMiddleware(apollo, {
    context: async ({ req, res }): Promise<RequestContext> => {
      const requestId = requestIdOf(req);
      res.setHeader('x-request-id', requestId);
      const requestLogger = logger.child({ requestId });
      const viewer = await authenticate(req.header('authorization'), verifier, dataSource.manager, agencies, (reason) =>
        requestLogger.warn({ reason }, 'token rejected'),
      );
      if (!limiter.take(`${viewer.agencyCode}:${viewer.sub}`)) {
        requestLogger.warn({ sub: viewer.sub }, 'rate limited');
        throw rateLimited('too many requests from this account; slow down and retry shortly');
      }
      const now = new Date();
      const pendingAudit: RequestContext['pendingAudit'] = [];
      return {
        requestId,
        now,
        viewer,
        services,
        logger: requestLogger,
        pendingAudit,
        access: new AccessLayer(dataSource.manager, viewer, now, pendingAudit, (ids) => agencies.all(dataSource.manager, ids)),
      };
    },
  });
  // Requests being handled, so stopping waits for them: a batch half-way through its transaction
  // commits (or rolls back) whole, and a read's audit row is written, before the database closes.
  const inFlight = new Set<Promise<void>>();
  let draining = false;
  app.use(
    '/graphql',
    (_req, res, next) => {
      // Safeguarding information must not be kept by browsers or proxies.
      res.setHeader('Cache-Control', 'no-store');
      // While stopping, each connection gets one last answer, then is closed.
      if (draining) res.setHeader('Connection', 'close');
      next();
    },
    express.json({ limit: config.maxBodyBytes }),
    (req, res, next) => {
      const handled: Promise<void> = Promise.resolve(graphql(req, res, next)).then(
        () => undefined,
        (error: unknown) => next(error),
      );
      inFlight.add(handled);
      void handled.finally(() => inFlight.delete(handled));
    },
  );

  // A body the JSON parser refused gets a GraphQL-shaped answer with a code, like every other
  // error, rather than the framework's HTML page: an agency's script can then tell a batch too
  // large to send (and send it in parts) from a fault.
  const bodyRefused: express.ErrorRequestHandler = (error, _req, res, next) => {
    const type = (error as { type?: unknown } | null)?.type;
    const refusal =
      type === 'entity.too.large' ? { status: 413, message: `the request body is larger than this hub accepts (${config.maxBodyBytes}); send fewer items at a time` }
      : type === 'entity.parse.failed' ? { status: 400, message: 'the request body is not valid JSON' }
      : null;
    if (!refusal || res.headersSent) {
      next(error);
      return;
    }
    res.status(refusal.status).json({ errors: [{ message: refusal.message, extensions: { code: 'BAD_USER_INPUT', field: 'body' } }] });
  };
  app.use('/graphql', bodyRefused);

  let httpServer: Server | undefined;
  return {
    app,
    listen: (port) =>
      new Promise((resolve, reject) => {
        const server = app.listen(port, '0.0.0.0', (error?: Error) => (error ? reject(error) : resolve(server)));
        httpServer = server;
      }),
    stop: async () => {
      draining = true;
      const closed = httpServer ? new Promise<void>((resolve) => httpServer?.close(() => resolve())) : Promise.resolve();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await apollo.stop();
      httpServer?.closeAllConnections();
      await closed;
    },
  };
}
