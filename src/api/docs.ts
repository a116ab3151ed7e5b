// /docs: a self-contained HTML reference rendered from the OpenAPI document (no CDN, works offline).
type Json = Record<string, any>;

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

function typeOf(s: Json | undefined): string {
  if (!s) return '';
  if (s.$ref) return `<a href="#schema-${esc(s.$ref.split('/').pop())}">${esc(s.$ref.split('/').pop())}</a>`;
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.enum) return s.enum.map((v: unknown) => `<code>${esc(v)}</code>`).join(' | ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  return esc(s.type ?? 'any');
}

function props(schema: Json): string {
  const req = new Set<string>(schema.required ?? []);
  const rows = Object.entries((schema.properties ?? {}) as Record<string, Json>)
    .map(
      ([n, s]) =>
        `<tr><td><code>${esc(n)}</code>${req.has(n) ? ' *' : ''}</td><td>${typeOf(s)}</td><td>${esc(s.description ?? '')}</td></tr>`,
    )
    .join('');
  return rows ? `<table><tr><th>field</th><th>type</th><th>description</th></tr>${rows}</table>` : '';
}

export function renderDocs(doc: Json): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(ops as Record<string, Json>)) {
      const params = (op.parameters ?? [])
        .map(
          (p: Json) =>
            `<tr><td><code>${esc(p.name)}</code>${p.required ? ' *' : ''}</td><td>${esc(p.in)}</td><td>${typeOf(p.schema)}</td><td>${esc(p.description ?? '')}</td></tr>`,
        )
        .join('');
      const body = op.requestBody?.content?.['application/json']?.schema;
      const responses = Object.entries(op.responses ?? {})
        .map(
          ([s, r]: [string, any]) =>
            `<li><b>${esc(s)}</b> ${esc(r.description)} ${typeOf(r.content?.['application/json']?.schema)}</li>`,
        )
        .join('');
      const html = `<section class="op" id="${esc(op.operationId)}">
        <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
        <p>${esc(op.summary)}</p>${op.description ? `<p class="d">${esc(op.description)}</p>` : ''}
        ${params ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>${params}</table>` : ''}
        ${body ? `<h4>Body</h4>${body.$ref ? typeOf(body) : props(body)}` : ''}
        <h4>Responses</h4><ul>${responses}</ul></section>`;
      const tag = op.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const schemas = Object.entries(doc.components.schemas as Record<string, Json>)
    .map(([n, s]) => `<section id="schema-${esc(n)}"><h3>${esc(n)}</h3>${props(s)}</section>`)
    .join('');
  const nav = [...byTag.keys()].map((t) => `<li><a href="#tag-${esc(t)}">${esc(t)}</a></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)} reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex}nav{width:220px;padding:16px;background:#f4f5f7;height:100vh;position:sticky;top:0;overflow:auto}
main{padding:16px 32px;max-width:1000px}table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
.m{font-weight:bold;padding:1px 6px;border-radius:3px;color:#fff;background:#555}.get{background:#2b7}.post{background:#27c}.delete{background:#c33}.put,.patch{background:#c82}
.op{border-bottom:1px solid #eee;padding-bottom:8px}pre{white-space:pre-wrap}</style></head>
<body><nav><b>${esc(doc.info.title)}</b><ul>${nav}<li><a href="#schemas">Schemas</a></li></ul><a href="/openapi.json">openapi.json</a></nav>
<main><h1>${esc(doc.info.title)} ${esc(doc.info.version)}</h1><pre>${esc(doc.info.description)}</pre>
${[...byTag.entries()].map(([t, ops]) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>${ops.join('')}`).join('')}
<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>`;
}
