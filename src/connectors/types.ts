// The contract between the product (sync engine, API) and one connector.
// A connector is mostly data (descriptor, mappings); code lives in its session.
import type { z } from 'zod';
import type { EntityMapping } from '../mappings/types.ts';

export const ENTITIES = [
  'purchase_orders',
  'work_orders',
  'assets',
  'items',
  'inventory',
  'vendors',
  'locations',
] as const;
export type EntityName = (typeof ENTITIES)[number];

export type Category = 'ERP' | 'CMMS' | 'EAM' | 'WMS';
export type Deployment = 'cloud' | 'on_premise';
export type Operation = 'read' | 'create' | 'update' | 'delete';

/** One field of the credential form shown on the Connect page and validated by `credentialsSchema`. */
export interface CredentialField {
  name: string;
  label: string;
  type: 'text' | 'password' | 'select' | 'url';
  required: boolean;
  secret: boolean;
  description?: string;
  options?: string[];
  /** Only shown/required when another field has a given value, e.g. auth_type = oauth2. */
  when?: { field: string; equals: string };
}

export interface EntityCapability {
  read: boolean;
  create: boolean;
  update: boolean;
  delete: boolean;
  /** Source can filter by a change timestamp; otherwise every sync is a full read. */
  incremental: boolean;
  /** How deletes are detected: a marker in the source record, or by reconciling remote ids. */
  delete_detection: 'marker' | 'reconciliation' | 'none';
  /** Transactional entities honour the initial-sync history window; reference data is read in full. */
  kind: 'transactional' | 'reference';
  /** Unified fields a write may set. */
  writable_fields?: string[];
  /** Business rules of the source, in words (e.g. "a PO with a deletion code cannot be changed"). */
  rules?: string[];
  /** Extra actions beyond CRUD (e.g. status changes through SAP function imports). */
  actions?: string[];
  /** Reads can be limited to the source fields the mapping needs (settings.remote_fields = "mapped"). */
  select_fields?: boolean;
}

export interface SystemDescriptor {
  id: string;
  name: string;
  category: Category;
  deployments: Deployment[];
  credit_tier: 1 | 2 | 3;
  protocol: string;
  logo?: string;
  docs_url?: string;
  credential_fields: CredentialField[];
  capabilities: Partial<Record<EntityName, EntityCapability>>;
}

/** A source entity exposed at /v1/custom-objects/{name}; `source` is in the connector's terms. */
export interface CustomObjectDef {
  name: string;
  /** E.g. `API_PRODUCT_SRV/A_ProductPlant` for SAP. */
  source: string;
  /** Key fields that form the remote id (default: the source's own key). */
  keys?: string[];
  /** A change timestamp the source can filter on; without it every sync is a full read. */
  change_field?: string | null;
}

/** Everything a session needs to talk to one customer's instance. Credentials arrive decrypted. */
export interface ConnectionConfig {
  connectionId: string;
  instanceUrl: string;
  deployment: Deployment;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
  /** Outbound URL guard (SSRF rules); the HTTP client calls it before every request. */
  checkUrl?: (url: string) => void | Promise<void>;
}

/**
 * A record as the source holds it. `data` is the raw source JSON, kept verbatim in the store (as
 * JSON.stringify writes it: members a reader set to undefined are not part of it).
 */
export interface SourceRecord {
  remoteId: string;
  data: Record<string, unknown>;
  remoteCreatedAt?: string | null; // ISO 8601
  remoteUpdatedAt?: string | null; // ISO 8601
  /** The source marks this record as deleted (e.g. SAP deletion code). */
  deleted?: boolean;
}

export interface ReadRequest {
  /** Incremental: only records changed at or after this instant. */
  since?: Date | null;
  /** Initial sync of transactional data: only records created/changed at or after this instant. */
  windowStart?: Date | null;
  /** Resume token returned by an earlier page (checkpoint); null starts from the beginning. */
  resume?: string | null;
  pageSize?: number;
  signal?: AbortSignal;
  /**
   * Top-level source fields the caller needs; a connector that can select fields reads only these
   * plus what it needs itself (keys, change stamps, deletion markers). Absent: every field.
   */
  fields?: string[];
}

export interface ReadPage {
  records: SourceRecord[];
  /** Token that resumes the read after this page; null when this was the last page. */
  resume: string | null;
}

/** Statistics of the session's HTTP traffic (retries are shown in sync status). */
export interface SessionStats {
  requests: number;
  retries: number;
}

export interface WriteResult {
  record: SourceRecord;
}

export interface PassthroughRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}
export interface PassthroughResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface ConnectorSession {
  /** Calls the system to prove the credentials work; throws ConnectorError otherwise. */
  check(): Promise<void>;
  /** Streams pages; each page is small and independent so memory does not grow with volume. */
  read(entity: string, req: ReadRequest): AsyncIterable<ReadPage>;
  /** Reads one record from the source (`?live=true`). Null when the source does not have it. */
  get(entity: string, remoteId: string, opts?: { fields?: string[] }): Promise<SourceRecord | null>;
  /** Unified input (snake_case fields of the unified model) → source write → the record as stored now. */
  create?(entity: EntityName, input: Record<string, unknown>): Promise<WriteResult>;
  update?(entity: EntityName, remoteId: string, input: Record<string, unknown>): Promise<WriteResult>;
  delete?(entity: EntityName, remoteId: string): Promise<void>;
  action?(
    entity: EntityName,
    remoteId: string,
    action: string,
    input?: Record<string, unknown>,
  ): Promise<WriteResult>;
  passthrough?(req: PassthroughRequest): Promise<PassthroughResponse>;
  /** Source fields of an entity from the system's own metadata, where it publishes one. */
  sourceFields?(entity: string): Promise<{ path: string; type: string; label?: string }[] | null>;
  stats(): SessionStats;
  close?(): Promise<void>;
}

export interface Connector {
  descriptor: SystemDescriptor;
  /** Validates `credentials` of POST /v1/connections. */
  credentialsSchema: z.ZodType<Record<string, unknown>>;
  /** Default unified mappings, as data (see src/mappings/README.md). */
  mappings: Partial<Record<EntityName, EntityMapping>>;
  /** Extra pure functions the connector's mapping expressions may call (escape hatch). */
  mappingFunctions?: Record<string, (...args: unknown[]) => unknown>;
  /** Record fields each mapping function reads when given the whole record (`$`). */
  mappingFunctionReads?: Record<string, readonly string[]>;
  /**
   * Custom objects: source entities outside the unified model, declared in connection settings
   * (`settings.custom_objects`). Returns a problem with the declaration, or null when the connector
   * can read it. Sessions read a declared object as entity `custom:<name>`.
   */
  validateCustomObject?: (def: CustomObjectDef) => string | null;
  open(config: ConnectionConfig): ConnectorSession;
}
