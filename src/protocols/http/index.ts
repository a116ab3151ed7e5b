// Entry of the shared HTTP layer: the only file other modules import.
export { HttpClient, encodeQuery } from './client.ts';
export type { HttpClientOptions, HttpRequest, HttpResponse, HttpStats, QueryValue } from './client.ts';
export { apiKeyHeader, basicAuth, bearerToken, noAuth } from './auth.ts';
export type { AuthContext, AuthStrategy, RawRequest, RawResponse, RawSend } from './auth.ts';
export { OAuth2ClientCredentials, oauth2ClientCredentials } from './oauth2.ts';
export type { OAuth2ClientCredentialsOptions } from './oauth2.ts';
export { CookieJar } from './cookie-jar.ts';
export { DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter } from './retry.ts';
export type { RetryPolicy } from './retry.ts';
export { genericErrorParser, httpError, kindForStatus, redactUrl } from './errors.ts';
export type { ErrorParser, ErrorResponse, ParsedRemoteError } from './errors.ts';
