// Connector failures → API errors. The one place where ConnectorError kinds meet error codes.
import { ApiError, type ErrorCode } from '../core/errors.ts';
import { isConnectorError, type ConnectorErrorKind } from '../connectors/errors.ts';

const CODE: Record<ConnectorErrorKind, ErrorCode> = {
  auth_rejected: 'REAUTHORIZATION_REQUIRED',
  rate_limited: 'REMOTE_SYSTEM_UNAVAILABLE',
  unavailable: 'REMOTE_SYSTEM_UNAVAILABLE',
  remote_error: 'REMOTE_SYSTEM_ERROR',
  business_rule: 'BUSINESS_RULE_VIOLATION',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  not_supported: 'OPERATION_NOT_SUPPORTED',
  field_not_writable: 'FIELD_NOT_WRITABLE',
  invalid_input: 'VALIDATION_FAILED',
};

export function connectorErrorToApi(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (!isConnectorError(e)) throw e;
  return new ApiError(CODE[e.kind], e.message, {
    remoteError: e.remote
      ? { status: e.remote.status, code: e.remote.code, message: e.remote.message }
      : undefined,
    headers: e.retryAfterSeconds ? { 'retry-after': String(e.retryAfterSeconds) } : undefined,
  });
}
