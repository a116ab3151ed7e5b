// The properties of an entity set, read from the service's $metadata (EDMX). A light scan, not a
// full EDMX model: enough to list what can be mapped, with types and labels.
export interface MetadataProperty {
  name: string;
  type: string;
  label?: string;
  navigation?: boolean;
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

export function entitySetProperties(edmx: string, entitySet: string): MetadataProperty[] | null {
  const setTag = new RegExp(`<EntitySet\\b[^>]*\\bName="${entitySet}"[^>]*>`).exec(edmx)?.[0];
  const typeName = setTag ? attr(setTag, 'EntityType')?.split('.').pop() : undefined;
  if (!typeName) return null;
  const body = new RegExp(`<EntityType\\b[^>]*\\bName="${typeName}"[^>]*>([\\s\\S]*?)</EntityType>`).exec(
    edmx,
  )?.[1];
  if (body === undefined) return null;
  const out: MetadataProperty[] = [];
  for (const m of body.matchAll(/<(Property|NavigationProperty)\b[^>]*\/?>/g)) {
    const tag = m[0];
    const name = attr(tag, 'Name');
    if (!name) continue;
    if (m[1] === 'NavigationProperty') out.push({ name, type: 'navigation', navigation: true });
    else
      out.push({
        name,
        type: attr(tag, 'Type') ?? 'unknown',
        ...(attr(tag, 'sap:label') ? { label: attr(tag, 'sap:label') } : {}),
      });
  }
  return out;
}
