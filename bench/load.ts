import autocannon from 'autocannon';

/**
 * The load generator, run in its own process so it does not share the server's event loop:
 * a fork of this file receives the target and answers with autocannon's figures.
 */
export interface LoadRequest {
  readonly url: string;
  readonly token: string;
  readonly query: string;
  readonly childIds: readonly string[];
  readonly connections: number;
  readonly durationSeconds: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly latencyMedianMs: number;
  readonly latencyP99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly graphqlErrors: number;
}

async function run(request: LoadRequest): Promise<LoadResult> {
  let next = 0;
  let graphqlErrors = 0;
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.durationSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}` },
    requests: [
      {
        setupRequest: (req) => {
          const id = request.childIds[next++ % request.childIds.length];
          return { ...req, body: JSON.stringify({ query: request.query, variables: { id } }) };
        },
        onResponse: (_status, body) => {
          if (body.includes('"errors"')) graphqlErrors += 1;
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    latencyMedianMs: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    graphqlErrors,
  };
}

process.on('message', (message: LoadRequest) => {
  run(message).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }, () => process.exit(1)),
  );
});
