// Typed failures a connector reports. The API maps each kind to one error code of the catalogue.
export type ConnectorErrorKind =
  | 'auth_rejected' // credentials refused → REAUTHORIZATION_REQUIRED / AUTHENTICATION_FAILED at connect
  | 'rate_limited' // source throttled us and retries ran out → REMOTE_SYSTEM_UNAVAILABLE (429 details)
  | 'unavailable' // network error, timeout, 502/503/504 after retries → REMOTE_SYSTEM_UNAVAILABLE
  | 'remote_error' // any other error answered by the source → REMOTE_SYSTEM_ERROR
  | 'business_rule' // the source refused because of one of its rules → BUSINESS_RULE_VIOLATION
  | 'not_found' // → NOT_FOUND
  | 'conflict' // stale ETag / concurrent change → CONFLICT
  | 'not_supported' // → OPERATION_NOT_SUPPORTED
  | 'field_not_writable' // → FIELD_NOT_WRITABLE
  | 'invalid_input'; // → VALIDATION_FAILED

export interface RemoteErrorInfo {
  status?: number;
  code?: string;
  message?: string;
  details?: unknown;
}

export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind;
  readonly remote?: RemoteErrorInfo;
  readonly retryAfterSeconds?: number;
  constructor(
    kind: ConnectorErrorKind,
    message: string,
    opts: { remote?: RemoteErrorInfo; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ConnectorError';
    this.kind = kind;
    this.remote = opts.remote;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

export const isConnectorError = (e: unknown): e is ConnectorError => e instanceof ConnectorError;
