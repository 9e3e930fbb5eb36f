import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { hasCodeFence } from './markdown-blocks.ts';
import { WARM_UP_SAMPLE, warmMarkdown } from './markdown-warm-up.ts';

// The warm-up is only worth its idle time if it runs the code the page's renders run: GFM's
// extensions, through markdown-pipeline.ts.
describe('warmMarkdown', () => {
  it('renders prose through GitHub-flavoured markdown', () => {
    const html = renderToStaticMarkup(warmMarkdown());
    expect(html).toContain('<h2>Plan</h2>');
    expect(html).toContain('<table>');
    expect(html).toContain('<del>struck</del>');
    expect(html).toContain('<input type="checkbox" disabled="" checked=""/>');
    expect(html).toContain('<a href="http://www.example.com">www.example.com</a>');
  });

  it('holds no code: a highlighted fence would make the idle work a long task', () => {
    expect(hasCodeFence(WARM_UP_SAMPLE)).toBe(false);
  });
});
