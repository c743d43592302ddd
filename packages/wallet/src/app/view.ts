/**
 * The app's whole view layer: `h` builds DOM elements from text and children. Text always goes in
 * through `textContent` (never `innerHTML`), so a claim value or an issuer's display name cannot
 * become markup, and the page needs no inline script or style under its Content Security Policy.
 */

/** What may be a child: a node, text, or nothing (`false`, `null`, `undefined` are skipped). */
export type Child = Node | string | false | null | undefined;

/** Attributes and listeners of an element; `on*` keys take listeners, `class` the class list. */
export type Props = Readonly<Record<string, string | number | boolean | EventListener | undefined>>;

/**
 * Makes an element: `true` sets a boolean attribute, `false` and `undefined` leave it out.
 * @example h('button', { type: 'button', onclick: lock }, t('home.lock'))
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children to `parent`, text as text nodes. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces what `parent` shows with `children`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
