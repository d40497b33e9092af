/** A GraphQL client for integration scripts: bearer token, retries with backoff on transient failures. */

export interface GraphQLErrorBody {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly field?: string };
}

/** A failure that retrying will not mend (bad token, refused input), or one that outlasted the retries. */
export class HubError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly transient: boolean,
    /** The HTTP status the hub answered with; null when it was not reached. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export interface HubClientOptions {
  readonly url: string;
  readonly token: string;
  /** Attempts after the first; default 5. */
  readonly retries?: number;
  /** First backoff delay; doubles with each retry (with jitter); default 500 ms. */
  readonly backoffMs?: number;
  readonly onRetry?: (attempt: number, error: HubError) => void;
}

// Submissions are idempotent by sourceRef, so repeating a request after a dropped connection or
// a server error cannot duplicate anything; only these codes are worth another try.
const TRANSIENT_CODES = new Set(['INTERNAL_SERVER_ERROR', 'RATE_LIMITED']);

export class HubClient {
  constructor(private readonly options: HubClientOptions) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const retries = this.options.retries ?? 5;
    const backoff = this.options.backoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(query, variables);
      } catch (error) {
        const hubError = error instanceof HubError ? error : new HubError(`network error: ${messageOf(error)}`, 'NETWORK', true);
        if (!hubError.transient || attempt >= retries) throw hubError;
        this.options.onRetry?.(attempt + 1, hubError);
        const delay = backoff * 2 ** attempt;
        await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
      }
    }
  }

  private async once<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${this.options.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: { data?: T | null; errors?: GraphQLErrorBody[] } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = undefined;
    }
    const first = body?.errors?.[0];
    const code = first?.extensions?.code ?? `HTTP_${response.status}`;
    if (response.status >= 500 || response.status === 429 || (first && TRANSIENT_CODES.has(code))) {
      throw new HubError(`hub answered ${response.status}: ${first?.message ?? text.slice(0, 200)}`, code, true, response.status);
    }
    if (first) {
      const field = first.extensions?.field ? ` (${first.extensions.field})` : '';
      throw new HubError(`${first.message}${field}`, code, false, response.status);
    }
    if (!response.ok || !body?.data) throw new HubError(`hub answered ${response.status} without data`, code, false, response.status);
    return body.data;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
