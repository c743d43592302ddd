/**
 * The few icons the app draws, as inline SVG built with DOM calls (no icon font, no request).
 * Directional ones carry the class `directional`, which styles.css mirrors in right-to-left
 * layouts: "back" points right in Arabic.
 */

const SVG = 'http://www.w3.org/2000/svg';

const PATHS = {
  back: { d: 'M15 5l-7 7 7 7', directional: true },
  forward: { d: 'M9 5l7 7-7 7', directional: true },
  lock: { d: 'M7 11V8a5 5 0 0 1 10 0v3M5 11h14v10H5z', directional: false },
  plus: { d: 'M12 5v14M5 12h14', directional: false },
  settings: { d: 'M4 7h9M17 7h3M4 17h3M11 17h9M15 5v4M9 15v4', directional: false },
  download: { d: 'M12 4v11M7 10l5 5 5-5M5 20h14', directional: false },
  upload: { d: 'M12 20V9M7 14l5-5 5 5M5 4h14', directional: false },
  camera: { d: 'M4 8h3l2-3h6l2 3h3v11H4zM12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z', directional: false },
  history: { d: 'M4 12a8 8 0 1 0 2.3-5.7M4 4v3h3M12 8v4l3 2', directional: false },
  share: { d: 'M5 12h10M11 7l5 5-5 5M19 5v14', directional: true },
  speaker: { d: 'M4 9h4l5-4v14l-5-4H4zM16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12', directional: false },
} as const;

/** An icon name. */
export type IconName = keyof typeof PATHS;

/** A decorative icon (hidden from screen readers: the control beside it carries the words). */
export function icon(name: IconName): SVGSVGElement {
  const { d, directional } = PATHS[name];
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', directional ? 'icon directional' : 'icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  svg.appendChild(path);
  return svg;
}
