// Gateway's error document. Every refusal of the OData layer (bad query, business rule, ETag)
// answers with this JSON shape so clients can be tested against the real format.
import { randomBytes } from 'node:crypto';

export interface ErrorDetail {
  code: string;
  message: string;
  propertyref?: string;
  target?: string;
  severity?: 'error' | 'warning' | 'info';
}

export class SapError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    opts: { details?: ErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'SapError';
    this.status = status;
    this.code = code;
    this.details = opts.details ?? [];
    this.headers = opts.headers ?? {};
  }
}

function sapTimestamp(d: Date): string {
  const iso = d.toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}.${iso.slice(20, 23)}0000`;
}

export function errorBody(err: SapError, service: string | undefined, now: Date): string {
  const details = (err.details.length ? err.details : [{ code: err.code, message: err.message }]).map(
    (d) => ({
      code: d.code,
      message: d.message,
      propertyref: d.propertyref ?? '',
      severity: d.severity ?? 'error',
      target: d.target ?? '',
    }),
  );
  return JSON.stringify({
    error: {
      code: err.code,
      message: { lang: 'en', value: err.message },
      innererror: {
        application: {
          component_id: '',
          service_namespace: '/SAP/',
          service_id: service ?? '',
          service_version: '0001',
        },
        transactionid: randomBytes(16).toString('hex').toUpperCase(),
        timestamp: sapTimestamp(now),
        Error_Resolution: {
          SAP_Transaction:
            'For backend administrators: use ADT feed reader "SAP Gateway Error Log" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details',
          SAP_Note:
            'See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)',
        },
        errordetails: details,
      },
    },
  });
}

export const notFound = (what: string) =>
  new SapError(404, '/IWBEP/CM_MGW_RT/021', `Resource not found for segment '${what}'`);

export const badRequest = (msg: string, code = '/IWBEP/CM_MGW_RT/022') => new SapError(400, code, msg);
