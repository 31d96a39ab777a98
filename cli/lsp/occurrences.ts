/** Finding the name under the cursor, and every place a binding is named. */
import { bindingKey, type Binding, type Occurrence } from "./bindings.js";
import type { NameIndex } from "./resolve.js";

/** The innermost occurrence touching the offset; a name's declaration wins over an overlapping reference. */
export function occurrenceAt(index: NameIndex, offset: number): Occurrence | undefined {
  let best: Occurrence | undefined;
  for (const occurrence of index.occurrences) {
    const { start, end } = occurrence.range;
    if (start.offset > offset || offset > end.offset) continue;
    if (!best || end.offset - start.offset < best.range.end.offset - best.range.start.offset) best = occurrence;
  }
  return best;
}

/** The occurrences of a file that name the binding. */
export function occurrencesOf(index: NameIndex, binding: Binding): Occurrence[] {
  const key = bindingKey(binding);
  return index.occurrences.filter((occurrence) => occurrence.binding && bindingKey(occurrence.binding) === key);
}
