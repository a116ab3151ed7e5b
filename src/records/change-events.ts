// Record changes as events (`work_order.updated`, ...): one shape for syncs and live reads alike.
import type { EntityName } from '../connectors/types.ts';
import type { NewEvent } from '../events/index.ts';
import { ENTITY_INFO } from '../model/index.ts';
import type { RecordChange } from './store.ts';

export function changeEvents(
  conn: { id: string; environment_id: string },
  entity: string,
  changes: RecordChange[],
): NewEvent[] {
  const singular = ENTITY_INFO[entity as EntityName]?.singular ?? entity;
  return changes.map((c) => ({
    environmentId: conn.environment_id,
    connectionId: conn.id,
    type: `${singular}.${c.kind}`,
    data: { id: c.id, remote_id: c.remoteId, entity, record: JSON.parse(c.unified) },
  }));
}
