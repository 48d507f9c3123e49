/**
 * The services' one error type, shaped as an RFC 9457 problem. Everything a service or a route
 * throws on purpose is a Problem: the HTTP layer's central handler turns it into
 * application/problem+json, the web UI into an error page, the CLI into a one-line message.
 * `type` is stable, so clients can branch on it.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class Problem extends Error {
  override readonly name = 'Problem';
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; retryAfterSeconds?: number; limit?: Limit } = {},
  ) {
    super(detail ?? title);
  }

  static badRequest(errors: FieldError[], detail = 'The request has invalid fields.'): Problem {
    return new Problem(400, 'validation', 'Ogiltig begäran', detail, { errors });
  }

  static notFound(detail: string): Problem {
    return new Problem(404, 'not-found', 'Hittades inte', detail);
  }

  static conflict(detail: string, title = 'Konflikt'): Problem {
    return new Problem(409, 'conflict', title, detail);
  }

  /** A bound that keeps something from growing without end was reached; the body names it. */
  static limitReached(limit: Limit, detail: string): Problem {
    return new Problem(409, 'limit-reached', 'Gränsen är nådd', detail, { limit });
  }

  /** A request id (Idempotency-Key) that came before with another request. */
  static idempotencyKeyReused(): Problem {
    return new Problem(422, 'idempotency-key-reused', 'Idempotency-Key återanvänd', 'The Idempotency-Key was used before for another request.');
  }

  static unavailable(detail: string, retryAfterSeconds = 5): Problem {
    return new Problem(503, 'unavailable', 'Tjänsten är tillfälligt otillgänglig', detail, { retryAfterSeconds });
  }
}

/** Which bound, and its size: `{ name: 'comments', max: 200 }`. */
export interface Limit {
  name: string;
  max: number;
}

export const PROBLEM_BASE = 'https://lisplan.se/problems/';
