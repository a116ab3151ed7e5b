// Sync intervals from connection settings: one number for every entity, or per entity.
export const DEFAULT_INTERVAL_MINUTES = 15;

export function intervalMinutes(
  settings: Record<string, unknown> | null | undefined,
  entity: string,
): number {
  const v = settings?.sync_interval_minutes;
  if (typeof v === 'number' && v > 0) return v;
  if (v && typeof v === 'object') {
    const per = (v as Record<string, unknown>)[entity];
    if (typeof per === 'number' && per > 0) return per;
  }
  return DEFAULT_INTERVAL_MINUTES;
}
