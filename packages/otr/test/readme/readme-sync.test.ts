/** The README's code block and the example test are one program: they must not drift apart. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8');

/** The text between two marker lines (exclusive). */
function between(text: string, start: string, end: string): string | undefined {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from + start.length);
  return from < 0 || to < 0 ? undefined : text.slice(from + start.length, to);
}

describe('the README example is a test', () => {
  it("the README's code block equals the example region of readme-example.test.ts", () => {
    const block = between(readme, '```ts\n', '```\n');
    const region = between(example, '// #region readme-example\n', '// #endregion readme-example\n');
    expect(block, 'README.md has a ```ts block').toBeDefined();
    expect(region, 'readme-example.test.ts has the region markers').toBeDefined();
    expect(block).toBe(region);
  });
});
