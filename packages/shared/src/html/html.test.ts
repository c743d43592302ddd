import { describe, expect, it } from 'vitest';
import { escapeHtml, html, jsonForScript } from './html.ts';

describe('html', () => {
  it('escapes every interpolated string, in content and in quoted attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    expect(html`<p title="${hostile}">${hostile}</p>`.html).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
    expect(escapeHtml('a & b')).toBe('a &amp; b');
  });

  it('inserts nested fragments and arrays as they are, and nothing for false, null and undefined', () => {
    const items = ['<a>', 'b'].map((text) => html`<li>${text}</li>`);
    expect(html`<ul>${items}${false}${null}${undefined}${3}</ul>`.html).toBe('<ul><li>&lt;a&gt;</li><li>b</li>3</ul>');
  });

  it('makes JSON that cannot close its script element', () => {
    const block = jsonForScript({ text: '</script><!-- \u2028' }).html;
    expect(block).not.toContain('</script');
    expect(block).not.toContain('<!--');
    expect(JSON.parse(block)).toEqual({ text: '</script><!-- \u2028' });
  });
});
