import type { JsonObject, JsonValue } from '@tessera/shared';
import { html, type SafeHtml } from '@tessera/shared';

/**
 * The OpenAPI document as a plain page: operations grouped by tag, each a `<details>` element
 * with its parameters, request body and answers, schemas as indented JSON. No script, no style
 * sheet, nothing from a CDN: it renders under `default-src 'none'`.
 */
export function renderOpenApiPage(document: JsonObject): string {
  const info = document.info as JsonObject;
  const paths = document.paths as Record<string, Record<string, JsonObject>>;
  const schemas = ((document.components as JsonObject).schemas ?? {}) as Record<string, JsonValue>;
  const byTag = new Map<string, SafeHtml[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const tag = String((operation.tags as string[] | undefined)?.[0] ?? 'Other');
      const list = byTag.get(tag) ?? [];
      list.push(operationHtml(method, path, operation));
      byTag.set(tag, list);
    }
  }
  return html`<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${String(info.title)} API</title>
</head>
<body>
<main>
<h1>${String(info.title)} API <small>${String(info.version)}</small></h1>
<p>${String(info.description ?? '')}</p>
<p>OpenAPI ${String(document.openapi)} as JSON: <a href="openapi.json">openapi.json</a>. Staff API operations need <code>Authorization: Bearer &lt;staff API key&gt;</code> of the tenant in the path.</p>
<nav aria-label="Sections"><ul>${[...byTag.keys()].map((tag) => html`<li><a href="#${slug(tag)}">${tag}</a></li>`)}<li><a href="#schemas">Schemas</a></li></ul></nav>
${[...byTag.entries()].map(([tag, operations]) => html`<section id="${slug(tag)}"><h2>${tag}</h2>${operations}</section>`)}
<section id="schemas"><h2>Schemas</h2>
${Object.entries(schemas).map(([name, schema]) => html`<details id="schema-${name}"><summary><code>${name}</code></summary><pre>${JSON.stringify(schema, null, 2)}</pre></details>`)}
</section>
</main>
</body>
</html>
`.html;
}

function operationHtml(method: string, path: string, operation: JsonObject): SafeHtml {
  const parameters = (operation.parameters ?? []) as JsonObject[];
  const body = operation.requestBody as JsonObject | undefined;
  const responses = (operation.responses ?? {}) as Record<string, JsonObject>;
  const security = operation.security as JsonObject[] | undefined;
  return html`<details>
<summary><code>${method.toUpperCase()} ${path}</code>: ${String(operation.summary ?? '')}</summary>
${typeof operation.description === 'string' ? html`<p>${operation.description}</p>` : ''}
${security === undefined ? '' : html`<p>Security: ${security.flatMap((entry) => Object.keys(entry)).join(', ')}</p>`}
${
  parameters.length === 0
    ? ''
    : html`<h4>Parameters</h4><ul>${parameters.map(
        (parameter) =>
          html`<li><code>${String(parameter.name)}</code> (${String(parameter.in)}${parameter.required === true ? ', required' : ''})${
            typeof parameter.description === 'string' ? html`: ${parameter.description}` : ''
          }</li>`,
      )}</ul>`
}
${body === undefined ? '' : html`<h4>Request body</h4>${contentHtml(body.content as JsonObject)}`}
<h4>Responses</h4>
<dl>${Object.entries(responses).map(
    ([status, response]) =>
      html`<dt><code>${status}</code></dt><dd>${String(response.description ?? '')}${
        response.content === undefined ? '' : contentHtml(response.content as JsonObject)
      }</dd>`,
  )}</dl>
</details>`;
}

function contentHtml(content: JsonObject): SafeHtml {
  return html`${Object.entries(content).map(([mediaType, media]) => {
    const schema = (media as JsonObject).schema as JsonObject | undefined;
    const ref = typeof schema?.$ref === 'string' ? schema.$ref.replace('#/components/schemas/', '') : undefined;
    return html`<p><code>${mediaType}</code>${
      ref === undefined ? html`<pre>${JSON.stringify(schema ?? {}, null, 2)}</pre>` : html`: <a href="#schema-${ref}">${ref}</a>`
    }</p>`;
  })}`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
