// Generic JSON-RPC over HTTP: client, typed-value codec and error translation (no system names here).
export { JsonRpcClient } from './client.ts';
export type { CallOptions, JsonRpcAuth, JsonRpcClientOptions, RawCall, RetryOptions } from './client.ts';
export * from './codec.ts';
export { describeRpcError, translateHttpStatus, translateRpcError } from './errors.ts';
export type { ErrorRules, RpcErrorDescription } from './errors.ts';
