import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeRpcError, translateHttpStatus, translateRpcError } from './errors.ts';

test('array errors: [name, [message, ...]] keeps the message, [text, traceback] is unnamed', () => {
  assert.deepEqual(describeRpcError(['RuleError', ['Not allowed.', 'Because.', null]]), {
    name: 'RuleError',
    message: 'Not allowed.',
    details: ['Not allowed.', 'Because.', null],
  });
  const unnamed = describeRpcError(["'name'", '']);
  assert.equal(unnamed.name, "'name'");
  assert.equal(unnamed.message, "'name'");
});

test('JSON-RPC 2.0 objects: data.name and data.message win over the generic envelope', () => {
  assert.deepEqual(describeRpcError({ code: -32601, message: 'Method not found' }), {
    name: '-32601',
    message: 'Method not found',
    details: undefined,
  });
  const d = describeRpcError({
    code: 200,
    message: 'Server Error',
    data: { name: 'app.AccessError', message: 'No access' },
  });
  assert.equal(d.name, 'app.AccessError');
  assert.equal(d.message, 'No access');
  assert.equal(describeRpcError('boom').message, 'boom');
});

test('named errors map to kinds; everything else is a remote_error with the original name', () => {
  const rules = { named: { RuleError: 'business_rule' as const, Stale: 'conflict' as const } };
  const rule = translateRpcError(['RuleError', ['Only drafts can change.', '', null]], rules);
  assert.equal(rule.kind, 'business_rule');
  assert.equal(rule.message, 'Only drafts can change.');
  assert.equal(rule.remote?.code, 'RuleError');
  assert.equal(translateRpcError(['Stale', 'changed meanwhile'], rules).kind, 'conflict');
  const other = translateRpcError(['KeyError', ['missing']], rules);
  assert.equal(other.kind, 'remote_error');
  assert.equal(other.message, 'KeyError: missing');
  assert.equal(other.remote?.code, 'KeyError');
});

test('a custom describe() reads system-specific shapes', () => {
  const rules = {
    named: { Warn: 'business_rule' as const },
    describe: (e: unknown) =>
      Array.isArray(e) && e[0] === 'Warn'
        ? { name: 'Warn', message: String((e[1] as unknown[])[1]) }
        : undefined,
  };
  assert.equal(translateRpcError(['Warn', ['key.1', 'Are you sure?', '']], rules).message, 'Are you sure?');
});

test('HTTP statuses: 401 → auth_rejected, 403 → remote_error, 429 → rate_limited, 5xx → unavailable', () => {
  assert.equal(translateHttpStatus(401, '<html>Unauthorized</html>', 'login').kind, 'auth_rejected');
  assert.equal(translateHttpStatus(401, '', 'call').kind, 'auth_rejected');
  const forbidden = translateHttpStatus(403, 'Forbidden', 'call');
  assert.equal(forbidden.kind, 'remote_error');
  assert.equal(forbidden.remote?.status, 403);
  assert.equal(translateHttpStatus(429, '', 'login').kind, 'rate_limited');
  assert.equal(translateHttpStatus(502, 'Bad Gateway', 'call').kind, 'unavailable');
  assert.equal(translateHttpStatus(500, 'oops', 'call').kind, 'unavailable');
  assert.equal(translateHttpStatus(404, 'Not Found', 'call').kind, 'remote_error');
});
