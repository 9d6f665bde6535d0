import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapNetSuiteError, parseErrorBody } from '../../../bot/src/netsuite/map-error.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/netsuite/${name}`, import.meta.url), 'utf8');

describe('mapNetSuiteError', () => {
  it.each([
    ['error-429-concurrency.json', 429, 'netsuite_concurrency_limit', /NETSUITE_CONCURRENCY/],
    ['error-401-invalid-login.json', 401, 'netsuite_auth_failed', /Login Audit Trail/],
    ['error-400-user-error.json', 400, 'netsuite_validation', /Author/],
    ['error-404-nonexistent.json', 404, 'netsuite_not_found', /Pick another record/],
    ['error-403-permission.json', 403, 'netsuite_permission', /Documents and Files/],
  ])('turns %s into a coded error an admin can act on', (file, status, code, remedy) => {
    const err = mapNetSuiteError(status, parseErrorBody(fixture(file)), { what: 'create message' });
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.remedy).toMatch(remedy);
    expect(err.message).toContain('create message');
  });

  it('calls a 5xx an outage and keeps Retry-After', () => {
    const err = mapNetSuiteError(503, parseErrorBody('<html>Service Unavailable</html>'), { what: 'x', retryAfter: 7 });
    expect(err.code).toBe('netsuite_unavailable');
    expect(err.retryAfterSeconds).toBe(7);
    expect(err.message).toContain('Service Unavailable');
  });
});
