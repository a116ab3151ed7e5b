// Entry of the OData v2 protocol layer: the only file connectors import.
export { ODataV2Service } from './service.ts';
export type { EntityResult, ODataServiceOptions } from './service.ts';
export { decodeResume, encodeResume, readPages } from './paging.ts';
export type { ODataPage, PageOptions } from './paging.ts';
export { queryParams, queryString } from './query.ts';
export type { ODataQuery } from './query.ts';
export { and, anyOf, eq, ge, gt, le, lt, ne, not, or, startswith, substringof } from './filter.ts';
export type { Filter } from './filter.ts';
export { isLiteral, lit, toLiteral } from './literals.ts';
export type { LiteralInput, ODataLiteral } from './literals.ts';
export { entityPath, keyPredicate } from './keys.ts';
export type { EntityKey, KeyValue } from './keys.ts';
export {
  combineDateAndTime,
  formatDuration,
  odataDateToIso,
  parseDuration,
  parseODataDate,
  toODataDateTime,
  toODataDateTimeOffset,
} from './dates.ts';
export { cleanEntity, entityEtag, readCollection, readEntity, stripEntity } from './json.ts';
export type { ODataCollection, ODataEntity } from './json.ts';
export { errorDetails, parseODataError } from './errors.ts';
export type { ODataErrorDetail } from './errors.ts';
export { entitySetProperties } from './metadata.ts';
export type { MetadataProperty } from './metadata.ts';
