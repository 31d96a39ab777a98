/**
 * A small well-formedness check for the SVG figs writes: every tag closes in
 * order, attributes are quoted, text holds no stray `<` or bare `&` (an XML
 * declaration, a DOCTYPE without an internal subset and comments skipped). No XML
 * parser is installed, and this is all a browser needs to open the file.
 */
export function xmlProblems(text: string): string[] {
  const body = text
    .replace(/^<\?xml[^?]*\?>/, "")
    .replace(/<!DOCTYPE[^>[]*>/, "")
    .replace(/<!--[\s\S]*?-->/g, "");
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g;
  const open: string[] = [];
  const problems: string[] = [];
  let last = 0;
  for (let match = tag.exec(body); match; match = tag.exec(body)) {
    checkText(body.slice(last, match.index), problems);
    last = match.index + match[0].length;
    const [, closing, name, , selfClosing] = match;
    if (selfClosing) continue;
    if (!closing) open.push(name!);
    else if (open.pop() !== name) problems.push(`</${name}> does not close the innermost open element`);
  }
  checkText(body.slice(last), problems);
  if (open.length > 0) problems.push(`unclosed: ${open.join(", ")}`);
  return problems;
}

function checkText(text: string, problems: string[]): void {
  if (text.includes("<")) problems.push(`a '<' that starts no tag near ${JSON.stringify(text.slice(0, 40))}`);
  if (/&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)/.test(text))
    problems.push(`a bare '&' near ${JSON.stringify(text.slice(0, 40))}`);
}
