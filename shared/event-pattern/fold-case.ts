/** Case folding for every `equals-ignore-case` (plain, prefix, suffix, anything-but), applied to both sides. */
export function foldCase(text: string): string {
  return text.toLowerCase();
}
