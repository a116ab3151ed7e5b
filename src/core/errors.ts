// The one catalogue of API errors: every code with its HTTP status and type. docs and the
// OpenAPI document are generated from it; a test keeps the documentation in step.
export const ERROR_CATALOGUE = {
  INVALID_REQUEST: { status: 400, type: 'invalid_request', message: 'The request is malformed.' },
  VALIDATION_FAILED: { status: 400, type: 'invalid_request', message: 'One or more fields are invalid.' },
  AUTHENTICATION_FAILED: {
    status: 401,
    type: 'authentication',
    message: 'Missing, invalid or revoked token.',
  },
  INSUFFICIENT_CREDITS: {
    status: 402,
    type: 'billing',
    message: 'The credit pool cannot cover this connection.',
  },
  PERMISSION_DENIED: {
    status: 403,
    type: 'authorization',
    message: 'This token cannot perform this operation.',
  },
  NOT_FOUND: { status: 404, type: 'not_found', message: 'The resource does not exist.' },
  OPERATION_NOT_SUPPORTED: {
    status: 405,
    type: 'unsupported',
    message: 'The system does not support this operation.',
  },
  CONFLICT: { status: 409, type: 'conflict', message: 'The resource changed or is in a conflicting state.' },
  CONNECTION_DISCONNECTED: { status: 409, type: 'connection', message: 'The connection is disconnected.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    type: 'conflict',
    message: 'The idempotency key was used for another request.',
  },
  REAUTHORIZATION_REQUIRED: {
    status: 412,
    type: 'connection',
    message: 'The source system rejected the credentials; reconnect.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, type: 'invalid_request', message: 'The request body is too large.' },
  FIELD_NOT_WRITABLE: {
    status: 422,
    type: 'invalid_request',
    message: 'A field cannot be written in this system.',
  },
  BUSINESS_RULE_VIOLATION: {
    status: 422,
    type: 'remote_rule',
    message: 'The source system refused the change.',
  },
  RATE_LIMIT_EXCEEDED: { status: 429, type: 'rate_limit', message: 'Too many requests.' },
  INTERNAL_ERROR: { status: 500, type: 'internal', message: 'An unexpected error occurred.' },
  REMOTE_SYSTEM_ERROR: { status: 502, type: 'remote', message: 'The source system answered with an error.' },
  REMOTE_SYSTEM_UNAVAILABLE: {
    status: 503,
    type: 'remote',
    message: 'The source system could not be reached.',
  },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface RemoteError {
  status?: number;
  code?: string;
  message?: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  readonly remoteError?: RemoteError;
  readonly headers?: Record<string, string>;
  constructor(
    code: ErrorCode,
    message?: string,
    opts: { details?: unknown; remoteError?: RemoteError; headers?: Record<string, string> } = {},
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.details = opts.details;
    this.remoteError = opts.remoteError;
    this.headers = opts.headers;
  }
}

export function errorBody(err: ApiError, requestId: string) {
  return {
    error: {
      code: err.code,
      type: ERROR_CATALOGUE[err.code].type,
      message: err.message,
      request_id: requestId,
      ...(err.details !== undefined ? { details: err.details } : {}),
      ...(err.remoteError ? { remote_error: err.remoteError } : {}),
    },
  };
}
