// A page's first markdown render costs several times what the next one does: the parser's code is
// compiled as it first runs (docs/performance.md). Claude's first answer in a new page would pay
// that in the frame that shows it. Rendering a sample while the page is idle (runWhenIdle) pays it
// before.
//
// Prose only: a highlighted fence, warmed the same way, took longer than a long task (50 ms) in the
// page, and part of its cost, its language's grammar, only a fence of that language would pay.
import type { ReactElement } from 'react';
import Markdown from 'react-markdown';
import { markdownPlugins } from './markdown-pipeline.ts';

/** What Claude's prose holds: GitHub-flavoured inline marks, lists, a quote, a table. */
export const WARM_UP_SAMPLE = [
  '## Plan',
  '',
  'Some **bold**, *emphasis*, ~~struck~~, `code`, a [link](https://example.com/) and www.example.com.',
  '',
  '1. first',
  '   - [x] done',
  '   - [ ] to do',
  '',
  '> a quote',
  '',
  '| a | b |',
  '| - | -: |',
  '| 1 | 2 |',
].join('\n');

/** Renders the sample as the page renders an answer, into elements nothing shows. */
export function warmMarkdown(): ReactElement {
  return Markdown({ children: WARM_UP_SAMPLE, ...markdownPlugins(WARM_UP_SAMPLE) });
}
